package org.charnwood.app.workspace;

import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Task about a patient is part of their record (the Patient compartment, as R5 puts Task in it): over the FHIR
 * API a nurse without a relationship with the patient finds no trace of the patient's escalation, in searches,
 * totals, includes, reads and history, while the ward nurse sees it and {@code $everything} holds it. A Task
 * addressed to someone (or asked for by them) is theirs to see and answer whoever it is about.
 */
class PatientTasksAccessIntegrationTests extends RecordEntryPagesTest {

    private static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    /** A Task for the ward patient, as the system writes it; its id. */
    private String task(String owner, String requester, String description, String label) {
        String security = label == null ? "" : """
                "meta":{"security":[{"system":"%s","code":"%s"}]},""".formatted(CONFIDENTIALITY, label);
        FhirHttp.Response response = http.post("/fhir/Task", """
                {"resourceType":"Task",%s"status":"requested","intent":"order","priority":"stat",
                 "code":{"coding":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/task-code",
                                    "code":"news2-escalation"}]},
                 "for":{"reference":"Patient/p1"},"owner":{"reference":"%s"}%s,
                 "description":"%s"}""".formatted(security, owner,
                requester == null ? "" : ",\"requester\":{\"reference\":\"" + requester + "\"}", description),
                "application/fhir+json");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.resource(Task.class).getIdElement().getIdPart();
    }

    private String escalation() {
        return task("CareTeam/team-ward-a", null, "STAT: NEWS2 13 (High clinical risk)", null);
    }

    @org.junit.jupiter.api.BeforeEach
    void aNurseOfAnotherWard() {
        http.put("/fhir/Practitioner/staff-002", """
                {"resourceType":"Practitioner","id":"staff-002","name":[{"family":"Cavell","given":["Edith"]}]}""",
                "application/fhir+json");
    }

    private FhirHttp as(TestTokens.Caller caller) {
        return http.as(tokens.bearer(caller));
    }

    private static List<String> ids(Bundle bundle, String type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r.fhirType().equals(type)).map(Resource::getIdElement).map(i -> i.getIdPart()).toList();
    }

    @Test
    void aNurseWithoutARelationshipFindsNoTraceOfThePatientsEscalation() {
        String id = escalation();
        FhirHttp other = as(OTHER_NURSE);

        Bundle all = other.get("/fhir/Task?_total=accurate").bundle();
        assertThat(ids(all, "Task")).doesNotContain(id);
        assertThat(all.getTotal()).isZero();
        assertThat(other.get("/fhir/Task?patient=Patient/p1&_total=accurate").bundle().getTotal()).isZero();
        assertThat(other.get("/fhir/Task/" + id).status()).isEqualTo(404);
        // As for any other entry of a record hidden from her.
        assertThat(other.get("/fhir/Condition/c1").status()).isEqualTo(404);
        FhirHttp.Response history = other.get("/fhir/Task/" + id + "/_history");
        assertThat(history.status()).isNotEqualTo(200)
                .isEqualTo(other.get("/fhir/Condition/c1/_history").status());
        assertThat(history.body()).doesNotContain("NEWS2 13");
        assertThat(ids(other.get("/fhir/Task/_history").bundle(), "Task")).doesNotContain(id);
        assertThat(ids(other.get("/fhir/Patient?_id=p1&_revinclude=Task:patient").bundle(), "Task")).isEmpty();
        assertThat(other.get("/fhir/Task?_total=accurate").body()).doesNotContain("NEWS2 13");
    }

    @Test
    void theWardNurseSeesThePatientsTasksAndEverythingHoldsThem() {
        String id = escalation();
        FhirHttp ward = as(WARD_NURSE);

        Bundle all = ward.get("/fhir/Task?_total=accurate").bundle();
        assertThat(ids(all, "Task")).containsExactly(id);
        assertThat(all.getTotal()).isEqualTo(1);
        assertThat(ward.get("/fhir/Task/" + id).resource(Task.class).getDescription()).contains("NEWS2 13");
        assertThat(ids(ward.get("/fhir/Patient?_id=p1&_revinclude=Task:patient").bundle(), "Task")).containsExactly(id);
        assertThat(ids(ward.get("/fhir/Patient/p1/$everything").bundle(), "Task")).containsExactly(id);
    }

    @Test
    void aTaskAddressedToSomeoneWithoutARelationshipIsTheirsToSeeAndAnswer() {
        escalation();
        String asked = task("Practitioner/staff-002", "Practitioner/staff-001", "Is she on anticoagulants?", null);
        FhirHttp other = as(OTHER_NURSE);

        Bundle mine = other.get("/fhir/Task?_total=accurate").bundle();
        assertThat(ids(mine, "Task")).containsExactly(asked);
        assertThat(mine.getTotal()).isEqualTo(1);
        Task question = other.get("/fhir/Task/" + asked).resource(Task.class);
        question.setStatus(Task.TaskStatus.COMPLETED);
        question.addOutput().setType(new org.hl7.fhir.r4.model.CodeableConcept().setText("Answer"))
                .setValue(new StringType("Yes, apixaban"));
        FhirHttp.Response answered = other.putJson("/fhir/Task/" + asked, question);
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        // She answered; the rest of the record stays closed to her.
        assertThat(other.get("/fhir/Condition/c1").status()).isEqualTo(404);
        assertThat(other.get("/fhir/Patient/p1/$everything").status()).isEqualTo(403);
    }

    @Test
    void aTaskAddressedToATeamIsSeenByItsMembers() {
        http.put("/fhir/CareTeam/team-on-call", """
                {"resourceType":"CareTeam","id":"team-on-call","status":"active","name":"Doctors on call",
                 "participant":[{"member":{"reference":"Practitioner/staff-002"}}]}""", "application/fhir+json");
        relationships.forgetAll();
        escalation();
        String toTheTeam = task("CareTeam/team-on-call", null, "NEWS2 7 (High clinical risk)", null);

        assertThat(ids(as(OTHER_NURSE).get("/fhir/Task").bundle(), "Task")).containsExactly(toTheTeam);
    }

    @Test
    void aVeryRestrictedTaskStaysHiddenEvenFromThoseItIsAddressedTo() {
        String sealed = task("Practitioner/staff-002", null, "Safeguarding concern", "V");

        assertThat(as(OTHER_NURSE).get("/fhir/Task/" + sealed).status()).isEqualTo(404);
        assertThat(as(WARD_NURSE).get("/fhir/Task/" + sealed).status()).isEqualTo(404);
    }

    @Test
    void aPatientSeesTheirOwnTasksAndNobodyElses() {
        String id = escalation();
        http.put("/fhir/Patient/p2", "{\"resourceType\":\"Patient\",\"id\":\"p2\"}", "application/fhir+json");

        assertThat(ids(as(TestTokens.Caller.patient("p1")).get("/fhir/Task").bundle(), "Task")).containsExactly(id);
        assertThat(ids(as(TestTokens.Caller.patient("p2")).get("/fhir/Task").bundle(), "Task")).isEmpty();
        assertThat(as(TestTokens.Caller.patient("p2")).get("/fhir/Task/" + id).status()).isEqualTo(404);
    }

    @Test
    void aClerkOnTheWardTeamSeesNoPatientsTasksButThoseAddressedToHerAndThoseAboutNobody() {
        http.put("/fhir/Practitioner/staff-003", """
                {"resourceType":"Practitioner","id":"staff-003","name":[{"family":"Booker","given":["Bea"]}]}""",
                "application/fhir+json");
        http.put("/fhir/CareTeam/team-ward-a", """
                {"resourceType":"CareTeam","id":"team-ward-a","status":"active","name":"Ward A team",
                 "participant":[{"member":{"reference":"Practitioner/staff-001"}},
                                {"member":{"reference":"Practitioner/staff-003"}}]}""", "application/fhir+json");
        relationships.forgetAll();
        String escalation = escalation();
        String toHer = task("Practitioner/staff-003", "Practitioner/staff-001", "Please book a review", null);
        String aboutNobody = http.post("/fhir/Task", """
                {"resourceType":"Task","status":"requested","intent":"order",
                 "description":"Restock the dressing cupboard"}""", "application/fhir+json")
                .resource(Task.class).getIdElement().getIdPart();
        FhirHttp clerk = as(TestTokens.Caller.staff("Practitioner/staff-003",
                org.charnwood.app.security.AccessRole.ADMIN_BOOKING));

        // Her team's relationship opens the patient's demographics to her, as before ...
        assertThat(clerk.get("/fhir/Patient/p1").status()).isEqualTo(200);
        // ... but not the clinical words of the patient's escalation.
        Bundle tasks = clerk.get("/fhir/Task?_total=accurate").bundle();
        assertThat(ids(tasks, "Task")).containsExactlyInAnyOrder(toHer, aboutNobody);
        assertThat(tasks.getTotal()).isEqualTo(2);
        assertThat(clerk.get("/fhir/Task/" + escalation).status()).isEqualTo(404);
        assertThat(clerk.get("/fhir/Task?patient=Patient/p1").body()).doesNotContain("NEWS2 13");
        assertThat(ids(clerk.get("/fhir/Task?_id=" + aboutNobody).bundle(), "Task")).containsExactly(aboutNobody);
        // The ward nurse on the same team still sees the escalation.
        assertThat(as(WARD_NURSE).get("/fhir/Task/" + escalation).status()).isEqualTo(200);
    }

    @Test
    void aTaskAboutNoPatientIsSeenAsBefore() {
        FhirHttp.Response created = http.post("/fhir/Task", """
                {"resourceType":"Task","status":"requested","intent":"order",
                 "description":"Restock the dressing cupboard"}""", "application/fhir+json");
        String id = created.resource(Task.class).getIdElement().getIdPart();

        assertThat(as(OTHER_NURSE).get("/fhir/Task/" + id).status()).isEqualTo(200);
    }
}
