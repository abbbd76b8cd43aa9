package org.charnwood.app.scheduling;

import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.Locality;
import org.charnwood.demo.LocalityPatients;
import org.charnwood.demo.Site;
import org.charnwood.demo.TrustShape;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo profile's district-nursing locality: a Charnwood (Loughborough, Shepshed and Syston) team of 25 (team
 * leads, district nurses, community staff nurses and healthcare assistants) working from Loughborough Community
 * Hospital, 200 housebound patients (UK Core patients of the Charnwood locality with 999-range NHS numbers and a
 * GP practice there, see {@link LocalityPatients}), and about 250 visits due today, so the team-day page plans a realistic day.
 * The first member is the demo nurse ({@code demo.nurse}), as the team's lead, so she can plan and publish it and
 * read her run sheet. The team and patients are added once; each start adds the visits for the day if it has none
 * (the same visits for the same date, from a seeded random).
 */
@Component
@ConditionalOnProperty(name = "charnwood.demo.enabled", havingValue = "true")
class DemoLocalityDay {

    static final String TEAM = "team-district-nursing-charnwood-locality";
    static final int VISITS = 250;
    private static final int PATIENTS = 200;

    private static final Logger log = LoggerFactory.getLogger(DemoLocalityDay.class);

    /** Job titles by position in the team: 3 leads, 5 district nurses, 11 staff nurses, 6 healthcare assistants. */
    private static final List<String> TITLES = titles();
    private static final List<String> GIVEN = List.of("Amelia", "Priya", "Grace", "Sunita", "Chloe", "Hannah",
            "Olivia", "Aisha", "Emma", "Lucy", "Jasmine", "Sophie", "Rachel", "Harpreet", "Megan", "Daniel",
            "Tom", "Bethany", "Zara", "Kiran", "Ellie", "Nadia", "James", "Holly", "Anita");
    private static final List<String> FAMILY = List.of("Patel", "Smith", "Mistry", "Jones", "Taylor", "Kaur",
            "Brown", "Williams", "Chauhan", "Wilson", "Evans", "Thomas", "Johnson", "Parmar", "Roberts", "Walker",
            "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Lewis",
            "Harris", "Clarke", "Jackson", "Turner");
    private static final List<String> ALERTS = List.of("Dog in the house: ask for it to be shut away",
            "Key safe: code from the team office", "Oxygen in use: no naked flames",
            "Lone working: visit in pairs after dark", "Hard of hearing: knock loudly and wait");

    private final FhirRepository repository;
    private final Clock clock;
    private final long seed;

    /**
     * @param seed the demo data's seed, the generated population's: the patients' NHS numbers are numbered from it
     *             beside the population's, so none repeats one of theirs
     */
    DemoLocalityDay(FhirRepository repository, Clock clock, @Value("${charnwood.demo.seed}") long seed) {
        this.repository = repository;
        this.clock = clock;
        this.seed = seed;
    }

    @EventListener(ApplicationReadyEvent.class)
    void load() {
        if (!exists("Organization", TrustShape.TRUST_ORGANIZATION_ID)) {
            return;
        }
        if (!exists("CareTeam", TEAM)) {
            addTeamAndPatients();
        }
        LocalDate today = clock.instant().atZone(TeamDayReader.LONDON).toLocalDate();
        if (!hasVisits(today)) {
            addVisits(today);
        }
    }

    private void addTeamAndPatients() {
        String demoNurse = demoNurse();
        repository.inTransaction(session -> {
            CareTeam team = new CareTeam();
            team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
            team.setName("District Nursing Locality, Charnwood");
            team.addManagingOrganization(new Reference("Organization/" + TrustShape.TRUST_ORGANIZATION_ID));
            Random random = new Random(20261126L);
            for (int i = 0; i < TITLES.size(); i++) {
                String number = String.format("%02d", i + 1);
                String practitioner = i == 0 && demoNurse != null ? demoNurse : "Practitioner/staff-dnl-" + number;
                if (!(i == 0 && demoNurse != null)) {
                    Practitioner person = new Practitioner();
                    person.setActive(true);
                    person.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily(FAMILY.get((i * 7) % FAMILY.size()))
                            .addGiven(GIVEN.get(i % GIVEN.size()));
                    person.setGender(random.nextInt(10) < 8 ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
                    session.create(person, "staff-dnl-" + number);
                }
                PractitionerRole role = new PractitionerRole();
                role.setActive(true);
                role.setPractitioner(new Reference(practitioner));
                role.setOrganization(new Reference("Organization/" + TrustShape.TRUST_ORGANIZATION_ID));
                role.addCode(new CodeableConcept().setText(TITLES.get(i)));
                role.addLocation(new Reference("Location/" + Site.LOUGHBOROUGH.locationId()));
                session.create(role, "role-dnl-" + number);
                team.addParticipant().addRole(new CodeableConcept().setText(TITLES.get(i)))
                        .setMember(new Reference("PractitionerRole/role-dnl-" + number));
            }
            session.create(team, TEAM);
            TrustShape trust = BundleWriter.forStandardTrust().trust();
            LocalDate today = clock.instant().atZone(TeamDayReader.LONDON).toLocalDate();
            for (int i = 0; i < PATIENTS; i++) {
                // Housebound and mostly elderly: born between 1925 and 1964.
                LocalDate born = LocalDate.of(1925 + random.nextInt(40), 1 + random.nextInt(12), 1 + random.nextInt(28));
                Patient patient = LocalityPatients.patient(trust, seed, Locality.CHARNWOOD, i, random.nextBoolean(),
                        born, today);
                String id = String.format("dnl-patient-%03d", i + 1);
                session.create(patient, id);
                if (i % 12 == 0) {
                    Flag flag = new Flag();
                    flag.setStatus(Flag.FlagStatus.ACTIVE);
                    flag.setCode(new CodeableConcept().setText(ALERTS.get((i / 12) % ALERTS.size())));
                    flag.setSubject(new Reference("Patient/" + id));
                    session.create(flag);
                }
            }
            return null;
        });
        log.info("Added the demo district-nursing locality: {} staff, {} patients", TITLES.size(), PATIENTS);
    }

    /**
     * About 250 visits for the day: blood tests first thing, insulin morning and lunchtime, wound care (the bulk),
     * catheters, syringe drivers and PEG feeds, a few urgent and a score of high priority.
     */
    private void addVisits(LocalDate date) {
        Random random = new Random(date.toEpochDay());
        repository.inTransaction(session -> {
            for (int i = 0; i < VISITS; i++) {
                String patient = String.format("dnl-patient-%03d", (i % PATIENTS) + 1);
                String need;
                LocalTime from = LocalTime.of(8, 30);
                LocalTime to = LocalTime.of(16, 0);
                String note = null;
                int kind = random.nextInt(100);
                if (i >= PATIENTS && i < PATIENTS + 30) {
                    need = "Insulin injection (lunchtime)";
                    from = LocalTime.of(11, 30);
                    to = LocalTime.of(13, 0);
                } else if (kind < 22) {
                    need = "Venepuncture for blood tests";
                    from = LocalTime.of(8, 0);
                    to = LocalTime.of(11, 0);
                    note = "Bloods to reach the hospital laboratory by 13:00";
                } else if (kind < 36) {
                    need = "Insulin injection";
                    from = LocalTime.of(8, 0);
                    to = LocalTime.of(9, 45);
                    note = "Check blood glucose before giving";
                } else if (kind < 73) {
                    need = random.nextBoolean() ? "Leg ulcer wound care" : "Wound dressing";
                    note = "Measure the wound and photograph it if it has changed";
                } else if (kind < 84) {
                    need = "Catheter change";
                } else if (kind < 89) {
                    need = "Syringe driver review";
                    note = "Check the driver, site and symptoms; anticipatory medicines in the house";
                } else if (kind < 93) {
                    need = "PEG feeding tube care";
                } else {
                    need = "Holistic assessment";
                }
                if (kind >= 36 && random.nextInt(10) < 3) {
                    to = LocalTime.of(12, 0);
                } else if (kind >= 36 && random.nextInt(10) < 2) {
                    from = LocalTime.of(12, 30);
                }
                ServiceRequest request = new ServiceRequest();
                request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
                request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
                request.setCode(new CodeableConcept().setText(need));
                request.setSubject(new Reference("Patient/" + patient));
                request.addPerformer(new Reference("CareTeam/" + TEAM));
                int urgency = random.nextInt(100);
                request.setPriority(urgency < 2 ? ServiceRequest.ServiceRequestPriority.STAT
                        : urgency < 10 ? ServiceRequest.ServiceRequestPriority.URGENT
                        : ServiceRequest.ServiceRequestPriority.ROUTINE);
                request.setOccurrence(new Period().setStart(at(date, from)).setEnd(at(date, to)));
                if (note != null) {
                    request.addNote(new Annotation().setText(note));
                }
                session.create(request);
            }
            return null;
        });
        log.info("Added {} district-nursing visits for {} to {}", VISITS, date, TEAM);
    }

    private boolean hasVisits(LocalDate date) {
        return !repository.search(new SearchRequest("ServiceRequest", Map.of(
                "performer", List.of("CareTeam/" + TEAM), "occurrence", List.of("ge" + date, "lt" + date.plusDays(1)),
                "_count", List.of("1")), false)).matches().isEmpty();
    }

    private boolean exists(String type, String id) {
        try {
            var stored = repository.read(type, id);
            return stored != null && !stored.deleted();
        } catch (FhirException e) {
            return false;
        }
    }

    /** The practitioner the demo nurse account signs in as: the trust's first registered nurse (RBAC R8001). */
    private static String demoNurse() {
        for (TrustShape.Team team : BundleWriter.forStandardTrust().trust().teams()) {
            for (TrustShape.StaffMember member : team.staff()) {
                if (member.role().jobRole().code().equals("R8001")) {
                    return "Practitioner/" + member.practitionerId();
                }
            }
        }
        return null;
    }

    private static Date at(LocalDate date, LocalTime time) {
        return Date.from(date.atTime(time).atZone(TeamDayReader.LONDON).toInstant());
    }

    private static List<String> titles() {
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            titles.add("District Nurse Team Lead");
        }
        for (int i = 0; i < 5; i++) {
            titles.add("District Nurse");
        }
        for (int i = 0; i < 11; i++) {
            titles.add("Community Staff Nurse");
        }
        for (int i = 0; i < 6; i++) {
            titles.add("Healthcare Assistant");
        }
        return List.copyOf(titles);
    }
}
