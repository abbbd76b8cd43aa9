package org.charnwood.app.triage;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/**
 * Seeds a handful of referrals in various states on the demo profile, so the triage queues of the urgent
 * community response, intermediate care and district nursing services are not empty: some just received, some
 * near breach, one breached, one on hold waiting for the referrer, some accepted and waiting to be seen, one seen.
 * Runs once the demo trust and patients are loaded (application ready); a database that already has them is
 * left as it is.
 */
@Component
@ConditionalOnProperty(name = "charnwood.demo.enabled", havingValue = "true")
class DemoReferrals {

    private static final Logger log = LoggerFactory.getLogger(DemoReferrals.class);
    private static final String FIRST = "demo-referral-01";

    private final FhirRepository repository;
    private final ReferralRecords records;
    private final TriageActions actions;
    private final Clock clock;

    DemoReferrals(FhirRepository repository, ReferralRecords records, TriageActions actions, Clock clock) {
        this.repository = repository;
        this.records = records;
        this.actions = actions;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void seed() {
        if (records.read("ServiceRequest", FIRST, ServiceRequest.class, AccessScope.UNRESTRICTED).isPresent()) {
            return;
        }
        List<Patient> patients = records.search("Patient", Patient.class, AccessScope.UNRESTRICTED, "_sort", "_id",
                "_count", "9");
        String ucrNurse = member("urgent-community-response");
        String districtNurse = member("district-nursing");
        String therapist = member("community-therapy");
        if (patients.size() < 9 || ucrNurse == null || districtNurse == null || therapist == null) {
            log.info("Demo referrals not seeded: the demo trust or patients are not loaded");
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        repository.inTransaction(session -> {
            // Urgent community response: one near breach, one just in, one accepted and seen within two hours.
            referral(session, 1, patients.get(0), "urgent-community-response", "asap", now.minus(Duration.ofMinutes(100)),
                    districtNurse, "Fall at home, unable to get up", "ambulance", "Ambulance service");
            referral(session, 2, patients.get(1), "urgent-community-response", "asap", now.minus(Duration.ofMinutes(25)),
                    districtNurse, "Sudden confusion, possible delirium", "gp", "GP");
            ServiceRequest seen = referral(session, 3, patients.get(2), "urgent-community-response", "asap",
                    now.minus(Duration.ofHours(5)), districtNurse, "Urgent catheter care", "care-home", "Care home");
            accepted(session, seen, ucrNurse, null, now.minus(Duration.ofHours(5))
                    .plus(Duration.ofMinutes(20)), now.minus(Duration.ofHours(5)).plus(Duration.ofMinutes(95)));
            // Intermediate care and reablement: one near the end of its second day, one on hold for the referrer.
            referral(session, 4, patients.get(3), "intermediate-care", "urgent", now.minus(Duration.ofHours(40)),
                    therapist, "Reablement after a fall, struggling with stairs", "gp", "GP");
            ServiceRequest held = referral(session, 5, patients.get(4), "intermediate-care", "routine",
                    now.minus(Duration.ofHours(20)), districtNurse, "Reablement: washing and dressing", "gp", "GP");
            onHold(session, held, member("intermediate-care"), districtNurse, now.minus(Duration.ofHours(6)));
            // District nursing: triage breached, triage near breach, accepted and waiting three weeks.
            referral(session, 6, patients.get(5), "district-nursing", "routine", now.minus(Duration.ofDays(5)),
                    therapist, "Leg ulcer dressings", "gp", "GP");
            referral(session, 7, patients.get(6), "district-nursing", "urgent", now.minus(Duration.ofHours(40)),
                    therapist, "Insulin administration support", "acute", "Acute hospital");
            ServiceRequest waiting = referral(session, 8, patients.get(7), "district-nursing", "routine",
                    now.minus(Duration.ofDays(23)), therapist, "Pressure area care", "gp", "GP");
            accepted(session, waiting, districtNurse, null, now.minus(Duration.ofDays(22)), null);
            referral(session, 9, patients.get(8), "community-therapy", "routine", now.minus(Duration.ofDays(1)),
                    districtNurse, "Mobility assessment", "gp", "GP");
            return null;
        });
        log.info("Seeded demo referrals for the triage queues");
    }

    private ServiceRequest referral(WriteSession session, int n, Patient patient, String service, String priority,
                                    Instant received, String requester, String reason, String source,
                                    String sourceDisplay) {
        String id = String.format("demo-referral-%02d", n);
        ServiceRequest sr = new ServiceRequest();
        sr.setId(id);
        sr.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        sr.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(priority));
        sr.addCategory(new CodeableConcept(new Coding("http://snomed.info/sct", "3457005", "Patient referral")));
        sr.addIdentifier(new Identifier().setSystem(ReferralCodes.REFERRAL_ID).setValue(id));
        sr.setSubject(new Reference("Patient/" + patient.getIdElement().getIdPart()));
        sr.addPerformer(new Reference(ReferralCodes.HEALTHCARE_SERVICE + service));
        sr.setRequester(new Reference(requester));
        sr.setAuthoredOn(Date.from(received.minus(Duration.ofMinutes(5))));
        sr.addReasonCode(new CodeableConcept().setText(reason));
        sr.addExtension(ReferralCodes.RECEIVED, new DateTimeType(Date.from(received)));
        sr.addExtension(ReferralCodes.SOURCE, new Coding("https://charnwood.nhs.uk/fhir/CodeSystem/referral-source",
                source, sourceDisplay));
        session.create(sr, id);
        return sr;
    }

    private void accepted(WriteSession session, ServiceRequest sr, String by, String team, Instant at, Instant seenAt)
            throws SQLException {
        String service = ReferralRecords.serviceOf(sr);
        String teamId = team != null ? team : actions.teams(service).stream().findFirst().orElse(null);
        EpisodeOfCare episode = new EpisodeOfCare();
        episode.setStatus(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        episode.setPatient(sr.getSubject().copy());
        episode.setManagingOrganization(new Reference("Organization/trust-r9c"));
        episode.addReferralRequest(new Reference("ServiceRequest/" + sr.getIdElement().getIdPart()));
        if (teamId != null) {
            episode.addTeam(new Reference("CareTeam/" + teamId));
        }
        episode.addType(new CodeableConcept().setText(records.serviceName(service)));
        episode.setPeriod(new Period().setStart(Date.from(at)));
        String episodeId = session.create(episode).id();
        Task task = decision(sr, by, ReferralCodes.ACCEPTED, at);
        task.addOutput().setType(new CodeableConcept().setText("Episode of care"))
                .setValue(new Reference("EpisodeOfCare/" + episodeId));
        session.create(task);
        if (seenAt != null) {
            Encounter visit = new Encounter();
            visit.setStatus(Encounter.EncounterStatus.FINISHED);
            visit.setClass_(new Coding(ReferralCodes.ACT_CODE, "HH", "home health"));
            visit.setSubject(sr.getSubject().copy());
            visit.addEpisodeOfCare(new Reference("EpisodeOfCare/" + episodeId));
            visit.addBasedOn(new Reference("ServiceRequest/" + sr.getIdElement().getIdPart()));
            visit.setPeriod(new Period().setStart(Date.from(seenAt)).setEnd(Date.from(seenAt.plus(Duration.ofMinutes(45)))));
            session.create(visit);
        }
    }

    private void onHold(WriteSession session, ServiceRequest sr, String by, String referrer, Instant at)
            throws SQLException {
        String question = "Has the patient had a recent occupational therapy assessment at home?";
        Task decision = decision(sr, by, ReferralCodes.INFORMATION_REQUESTED, at);
        decision.addNote().setText(question);
        Task ask = new Task();
        ask.setStatus(Task.TaskStatus.REQUESTED);
        ask.setIntent(Task.TaskIntent.ORDER);
        ask.setCode(new CodeableConcept(new Coding(ReferralCodes.TASK_CODES, ReferralCodes.INFORMATION_REQUEST,
                "More information requested")));
        ask.setFocus(new Reference("ServiceRequest/" + sr.getIdElement().getIdPart()));
        ask.setFor(sr.getSubject().copy());
        ask.setRequester(new Reference(by));
        ask.setOwner(new Reference(referrer));
        ask.setAuthoredOn(Date.from(at)).setLastModified(Date.from(at));
        ask.addInput().setType(new CodeableConcept().setText("Question")).setValue(new StringType(question));
        String askId = session.create(ask).id();
        decision.addOutput().setType(new CodeableConcept().setText("Information request"))
                .setValue(new Reference("Task/" + askId));
        session.create(decision);
        sr.setStatus(ServiceRequest.ServiceRequestStatus.ONHOLD);
        session.update("ServiceRequest", sr.getIdElement().getIdPart(), sr, null);
    }

    private static Task decision(ServiceRequest sr, String by, String outcome, Instant at) {
        Task task = new Task();
        task.setStatus(Task.TaskStatus.COMPLETED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding(ReferralCodes.TASK_CODES, ReferralCodes.TRIAGE, "Triage")));
        task.setBusinessStatus(new CodeableConcept(new Coding(ReferralCodes.TASK_CODES, outcome, outcome)));
        task.setFocus(new Reference("ServiceRequest/" + sr.getIdElement().getIdPart()));
        task.setFor(sr.getSubject().copy());
        task.setRequester(new Reference(by));
        task.setOwner(new Reference(by));
        task.setAuthoredOn(Date.from(at)).setLastModified(Date.from(at));
        return task;
    }

    /** A practitioner of the service (their Practitioner reference), or null when it has none. */
    private String member(String service) {
        return records.search("PractitionerRole", PractitionerRole.class, AccessScope.UNRESTRICTED, "service",
                ReferralCodes.HEALTHCARE_SERVICE + service, "_sort", "_id", "_count", "1").stream()
                .map(r -> r.getPractitioner().getReference()).findFirst().orElse(null);
    }
}
