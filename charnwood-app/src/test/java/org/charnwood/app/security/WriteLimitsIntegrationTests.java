package org.charnwood.app.security;

import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.*;

/**
 * Two limits on writes that reads alone do not show. Nobody may give themselves a legitimate relationship: a
 * clinician without one cannot book themselves (or their team) an appointment, referral or care team for the
 * patient, since that would open the record; a booking clerk may, and so may a clinician who already has one.
 * And a scope restricted by a search ({@code system/Observation.cud?category=vital-signs}) permits writing only
 * what it selects, before and after the change.
 */
class WriteLimitsIntegrationTests extends AccessFixtureIntegrationTest {

    private static final Caller OTHER_CLINICIAN = Caller.staff("Practitioner/other", CLINICIAN);
    private static final Caller DOC_CLINICIAN = Caller.staff("Practitioner/doc", CLINICIAN);
    private static final Caller BOOKING = Caller.staff("Practitioner/clerk", ADMIN_BOOKING);
    private static final Caller VITALS_SYSTEM = Caller.system("system/Observation.cud?category=vital-signs",
            "system/Observation.rs");

    private static Appointment booked(String patient, String practitioner) {
        Appointment a = new Appointment();
        a.setStatus(Appointment.AppointmentStatus.BOOKED);
        a.setStart(new Date(System.currentTimeMillis() + 86_400_000L));
        a.setEnd(new Date(System.currentTimeMillis() + 90_000_000L));
        a.addParticipant().setActor(new Reference("Patient/" + patient))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        a.addParticipant().setActor(new Reference(practitioner)).setStatus(Appointment.ParticipationStatus.ACCEPTED);
        return a;
    }

    @Test
    void aClinicianWithoutARelationshipCannotBookThemselvesAnAppointmentToOpenTheRecord() {
        Response refused = as(OTHER_CLINICIAN).postJson("/fhir/Appointment", booked("p1", "Practitioner/other"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("legitimate relationship");
        relationships.forgetAll();
        assertThat(as(OTHER_CLINICIAN).get("/fhir/Observation?subject=Patient/p1").bundle().getEntry()).isEmpty();
    }

    /**
     * A team they join only next month holds nothing for them yet, but an episode naming it made now would open the
     * record once they join: it is as self-made as one that opens it today.
     */
    @Test
    void norGiveTheTeamTheyAreAboutToJoinAnEpisodeOfThePatient() {
        CareTeam joining = new CareTeam();
        joining.setId("team-joining");
        joining.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        joining.addParticipant().setMember(new Reference("Practitioner/other")).setPeriod(new org.hl7.fhir.r4.model.Period()
                .setStartElement(new org.hl7.fhir.r4.model.DateTimeType(
                        today().plusMonths(1).withDayOfMonth(1).toString())));
        AccessFixture.put(repository, relationships, java.util.List.of(joining));

        Response refused = as(OTHER_CLINICIAN).postJson("/fhir/EpisodeOfCare",
                AccessFixture.episode(null, "p1", "CareTeam/team-joining", null));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("CHARNWOOD-2053");
    }

    @Test
    void norPutThemselvesInACareTeamOrMakeThemselvesTheReferralsPerformer() {
        CareTeam team = new CareTeam();
        team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        team.setSubject(new Reference("Patient/p1"));
        team.addParticipant().setMember(new Reference("Practitioner/other"));
        assertThat(as(OTHER_CLINICIAN).postJson("/fhir/CareTeam", team).status()).isEqualTo(403);

        ServiceRequest referral = new ServiceRequest();
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.setSubject(new Reference("Patient/p1"));
        referral.addPerformer(new Reference("Practitioner/other"));
        assertThat(as(OTHER_CLINICIAN).postJson("/fhir/ServiceRequest", referral).status()).isEqualTo(403);
    }

    @Test
    void aBookingClerkMayBookItAndAClinicianMayReferToSomeoneElse() {
        Response clerk = as(BOOKING).postJson("/fhir/Appointment", booked("p1", "Practitioner/other"));
        assertThat(clerk.status()).as(clerk.body()).isEqualTo(201);

        ServiceRequest referral = new ServiceRequest();
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.setSubject(new Reference("Patient/p2"));
        referral.addPerformer(new Reference("Practitioner/doc"));
        Response onward = as(OTHER_CLINICIAN).postJson("/fhir/ServiceRequest", referral);
        assertThat(onward.status()).as(onward.body()).isEqualTo(201);
    }

    @Test
    void aClinicianWithARelationshipMayBookTheirOwnFollowUp() {
        Response booked = as(DOC_CLINICIAN).postJson("/fhir/Appointment", booked("p1", "Practitioner/doc"));

        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
    }

    private static Observation observation(String category) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory().addCoding().setSystem(AccessFixture.CATEGORY).setCode(category);
        o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Heart rate");
        o.setSubject(new Reference("Patient/p2"));
        return o;
    }

    @Test
    void aWriteScopeLimitedToVitalSignsWritesOnlyVitalSigns() {
        Response vitals = as(VITALS_SYSTEM).postJson("/fhir/Observation", observation("vital-signs"));
        assertThat(vitals.status()).as(vitals.body()).isEqualTo(201);
        Response survey = as(VITALS_SYSTEM).postJson("/fhir/Observation", observation("survey"));
        assertThat(survey.status()).as(survey.body()).isEqualTo(403);
        assertThat(survey.body()).contains("category=vital-signs");

        String id = vitals.resource(Observation.class).getIdElement().getIdPart();
        Observation turned = observation("survey");
        turned.setId(id);
        assertThat(as(VITALS_SYSTEM).putJson("/fhir/Observation/" + id, turned).status()).isEqualTo(403);
        assertThat(as(VITALS_SYSTEM).delete("/fhir/Observation/p1-lab").status()).isEqualTo(403);
        assertThat(as(VITALS_SYSTEM).delete("/fhir/Observation/" + id).status()).isIn(200, 204);
    }

    @Test
    void nobodyAddsThemselvesToATeamWhoseCaseloadTheyWouldSee() {
        CareTeam team = repository.read("CareTeam", "team-a").parse(CareTeam.class);
        team.addParticipant().setMember(new Reference("Practitioner/other"));
        Response joined = as(OTHER_CLINICIAN).putJson("/fhir/CareTeam/team-a", team);
        assertThat(joined.status()).as(joined.body()).isEqualTo(403);
        assertThat(joined.body()).contains("add yourself to a care team");
        relationships.forgetAll();
        assertThat(as(OTHER_CLINICIAN).get("/fhir/Observation?subject=Patient/p1").bundle().getEntry()).isEmpty();

        // A member of the team may still change it, and add someone else.
        CareTeam changed = repository.read("CareTeam", "team-a").parse(CareTeam.class);
        changed.setName("Ward A");
        assertThat(as(DOC_CLINICIAN).putJson("/fhir/CareTeam/team-a", changed).status()).isEqualTo(200);
    }

    @Test
    void aFinishedEpisodeIsNotMadeActiveAgainByTheOneItWouldOpenTheRecordTo() {
        org.hl7.fhir.r4.model.EpisodeOfCare episode = new org.hl7.fhir.r4.model.EpisodeOfCare();
        episode.setId("ep-old");
        episode.setStatus(org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        episode.setPatient(new Reference("Patient/p1"));
        episode.setCareManager(new Reference("Practitioner/other"));
        AccessFixture.put(repository, relationships, java.util.List.of(episode));

        episode.setStatus(org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        Response revived = as(OTHER_CLINICIAN).putJson("/fhir/EpisodeOfCare/ep-old", episode);

        // Another's episode is within the patient's relationship (decision 22): not theirs to see, nor to change,
        // and refused as an update of a record they may not see is, without saying it is there.
        assertThat(revived.status()).as(revived.body()).isEqualTo(404);
        assertThat(revived.body()).contains("EpisodeOfCare/ep-old is not a record you can update");
        assertThat(repository.read("EpisodeOfCare", "ep-old").json()).contains("finished");
    }

    @Test
    void aTransactionCannotNameThePatientByAPlaceholderToGetRoundTheRule() {
        String bundle = """
                {"resourceType":"Bundle","type":"transaction","entry":[
                 {"fullUrl":"urn:uuid:2f1d6a3e-0000-4000-8000-000000000001",
                  "resource":{"resourceType":"Patient","id":"ignored"},
                  "request":{"method":"POST","url":"Patient","ifNoneExist":"_id=p1"}},
                 {"resource":%s,"request":{"method":"POST","url":"Appointment"}}]}""".formatted(
                FhirHttp.json(booked("p1", "Practitioner/other")).replace("Patient/p1",
                        "urn:uuid:2f1d6a3e-0000-4000-8000-000000000001"));

        Response refused = as(OTHER_CLINICIAN).post("/fhir", bundle, "application/fhir+json");

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("legitimate relationship");
        relationships.forgetAll();
        assertThat(as(OTHER_CLINICIAN).get("/fhir/Observation?subject=Patient/p1").bundle().getEntry()).isEmpty();
    }

    @Test
    void aRestrictedWriteScopeHoldsForPatchesAndConditionalWritesToo() {
        Response vitals = as(VITALS_SYSTEM).postJson("/fhir/Observation", observation("vital-signs"));
        String id = vitals.resource(Observation.class).getIdElement().getIdPart();
        String toLaboratory = "[{\"op\":\"replace\",\"path\":\"/category/0/coding/0/code\",\"value\":\"laboratory\"}]";

        assertThat(as(VITALS_SYSTEM).patch("/fhir/Observation/" + id, toLaboratory, "application/json-patch+json")
                .status()).isEqualTo(403);
        assertThat(as(VITALS_SYSTEM).patch("/fhir/Observation?_id=p1-lab", "[{\"op\":\"replace\",\"path\":"
                + "\"/status\",\"value\":\"amended\"}]", "application/json-patch+json").status()).isEqualTo(403);
        assertThat(as(VITALS_SYSTEM).delete("/fhir/Observation?_id=p1-lab").status()).isEqualTo(403);
        Observation over = observation("vital-signs");
        assertThat(as(VITALS_SYSTEM).putJson("/fhir/Observation?_id=p1-lab", over).status()).isEqualTo(403);
        assertThat(repository.read("Observation", "p1-lab").deleted()).isFalse();
    }
}
