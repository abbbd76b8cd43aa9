package org.charnwood.app.scheduling;

import org.charnwood.demo.BundleWriter;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The demo trust and a small day for its Charnwood district-nursing team: ten patients in and around Loughborough,
 * each with a visit due on the day, the first with a safety alert. For the page and browser tests.
 */
public final class TeamDayFixture {

    public static final String TEAM = "team-district-nursing-charnwood";
    public static final String ALERT = "Dog in the house: ask for it to be shut away";
    private static final List<String> NEEDS = List.of("Wound dressing", "Leg ulcer wound care", "Insulin injection",
            "Catheter change", "Venepuncture for blood tests", "Syringe driver review", "Wound dressing",
            "Insulin injection", "Venepuncture for blood tests", "Wound dressing");
    private static final List<String> POSTCODES = List.of("LE11 3AB", "LE11 2XY", "LE12 9QR", "LE11 5TT",
            "LE12 7NB", "LE11 1AA", "LE7 2HJ", "LE11 4PL", "LE12 8EE", "LE11 3DF");

    /** A member of the team: their PractitionerRole, Practitioner reference and job title. */
    public record Member(String roleId, String practitioner, String title) {
    }

    private TeamDayFixture() {
    }

    /** Loads the trust and the day; returns the patients' ids, in the order of their visits. */
    public static List<String> load(FhirRepository repository, LocalDate day) {
        new BundleProcessor(repository).process(BundleWriter.forStandardTrust().trustBundle(),
                ReturnPreference.MINIMAL);
        return repository.inTransaction(session -> {
            List<String> patients = new ArrayList<>();
            for (int i = 0; i < NEEDS.size(); i++) {
                Patient patient = new Patient();
                patient.addName(new HumanName().setUse(HumanName.NameUse.OFFICIAL).setFamily("Visit" + (char) ('A' + i))
                        .addGiven("Test"));
                patient.addAddress(new Address().addLine((i + 1) + " Forest Road").setCity("LOUGHBOROUGH")
                        .setPostalCode(POSTCODES.get(i)));
                String patientId = session.create(patient).id();
                patients.add(patientId);
                ServiceRequest request = new ServiceRequest();
                request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
                request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
                request.setCode(new CodeableConcept().setText(NEEDS.get(i)));
                request.setSubject(new Reference("Patient/" + patientId));
                request.addPerformer(new Reference("CareTeam/" + TEAM));
                request.setOccurrence(new Period().setStart(at(day, LocalTime.of(9, 0)))
                        .setEnd(at(day, LocalTime.of(15, 0))));
                session.create(request);
                if (i == 0) {
                    Flag flag = new Flag();
                    flag.setStatus(Flag.FlagStatus.ACTIVE);
                    flag.setCode(new CodeableConcept().setText(ALERT));
                    flag.setSubject(new Reference("Patient/" + patientId));
                    session.create(flag);
                }
            }
            return patients;
        });
    }

    /** The team's members, as the CareTeam lists them. */
    public static List<Member> members(FhirRepository repository) {
        CareTeam team = repository.read("CareTeam", TEAM).parse(CareTeam.class);
        List<Member> members = new ArrayList<>();
        for (CareTeam.CareTeamParticipantComponent participant : team.getParticipant()) {
            String roleId = participant.getMember().getReferenceElement().getIdPart();
            PractitionerRole role = repository.read("PractitionerRole", roleId).parse(PractitionerRole.class);
            members.add(new Member(roleId, role.getPractitioner().getReference(), role.getCodeFirstRep().getText()));
        }
        return members;
    }

    public static Member first(FhirRepository repository, String title) {
        return members(repository).stream().filter(m -> m.title().equals(title)).findFirst().orElseThrow();
    }

    private static Date at(LocalDate day, LocalTime time) {
        return Date.from(day.atTime(time).atZone(TeamDayReader.LONDON).toInstant());
    }
}
