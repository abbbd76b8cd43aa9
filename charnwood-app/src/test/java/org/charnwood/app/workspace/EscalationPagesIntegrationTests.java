package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.TestTokens;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answering an escalation from the pages: only a clinician of the team it is addressed to may take it on or
 * decline it, as only a Task's own people may change it over the FHIR API.
 */
class EscalationPagesIntegrationTests extends RecordEntryPagesTest {

    static final TestTokens.Caller WARD_HCA = TestTokens.Caller.staff("Practitioner/staff-003",
            AccessRole.HEALTH_CARE_ASSISTANT);

    /** An open escalation for the ward patient, addressed to the ward team; its id. */
    private String escalation() {
        var response = http.post("/fhir/Task", """
                {"resourceType":"Task","status":"requested","intent":"order","priority":"urgent",
                 "code":{"coding":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/task-code",
                                    "code":"news2-escalation"}]},
                 "for":{"reference":"Patient/p1"},"owner":{"reference":"CareTeam/team-ward-a"},
                 "description":"NEWS2 5 (Medium clinical risk)",
                 "performerType":[{"coding":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/escalation-role",
                                              "code":"nurse-in-charge"}]}],
                 "restriction":{"period":{"end":"2099-01-01T00:00:00Z"}}}""", "application/fhir+json");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.resource(Task.class).getIdElement().getIdPart();
    }

    private HttpResponse<String> post(HttpClient browser, String path, String... fields) {
        return submit(browser, "/staff/patients/p1", path, fields(fields));
    }

    private Task task(String id) {
        return http.get("/fhir/Task/" + id).resource(Task.class);
    }

    @Test
    void aHealthCareAssistantOrANurseOfAnotherTeamIsRefusedAndTheEscalationIsUnchanged() {
        // The assistant is on the ward team too: it is the role that stops her, as the team stops the other nurse.
        http.put("/fhir/CareTeam/team-ward-a", """
                {"resourceType":"CareTeam","id":"team-ward-a","status":"active","name":"Ward A team",
                 "participant":[{"member":{"reference":"Practitioner/staff-001"}},
                                {"member":{"reference":"Practitioner/staff-003"}}]}""", "application/fhir+json");
        String id = escalation();

        for (HttpClient stranger : new HttpClient[] {signedIn(WARD_HCA), signedIn(OTHER_NURSE)}) {
            assertThat(post(stranger, "/staff/escalations/" + id + "/accept").statusCode()).isEqualTo(403);
            assertThat(get(stranger, "/staff/escalations/" + id + "/decline").statusCode()).isEqualTo(403);
            assertThat(post(stranger, "/staff/escalations/" + id + "/decline", "reason", "Not mine")
                    .statusCode()).isEqualTo(403);
        }
        Task unchanged = task(id);
        assertThat(unchanged.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(unchanged.getOwner().getReference()).isEqualTo("CareTeam/team-ward-a");
        assertThat(unchanged.getMeta().getVersionId()).isEqualTo("1");

        HttpResponse<String> accepted = post(nurse, "/staff/escalations/" + id + "/accept");
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(task(id).getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(task(id).getOwner().getReference()).isEqualTo("Practitioner/staff-001");
    }

    @Test
    void theWardBoardOffersAcceptAndDeclineOnlyToRolesThatMayAnswer() {
        http.put("/fhir/Practitioner/staff-003", """
                {"resourceType":"Practitioner","id":"staff-003","name":[{"family":"Seacole","given":["Mary"]}]}""",
                "application/fhir+json");
        http.put("/fhir/CareTeam/team-ward-a", """
                {"resourceType":"CareTeam","id":"team-ward-a","status":"active","name":"Ward A team",
                 "participant":[{"member":{"reference":"Practitioner/staff-001"}},
                                {"member":{"reference":"Practitioner/staff-003"}}]}""", "application/fhir+json");
        String id = escalation();
        relationships.forgetAll();

        String nurses = page(nurse, "/staff/wards/ward-a");
        String assistants = page(signedIn(WARD_HCA), "/staff/wards/ward-a");

        assertThat(nurses).contains("/staff/escalations/" + id + "/accept");
        assertThat(assistants).contains("data-escalation=\"" + id + "\"", "A nurse or clinician of the team answers this")
                .doesNotContain("/staff/escalations/" + id + "/accept", "/staff/escalations/" + id + "/decline");
    }

    @Test
    void onlyEscalationsAreAnsweredHere() {
        var response = http.post("/fhir/Task", """
                {"resourceType":"Task","status":"requested","intent":"order",
                 "for":{"reference":"Patient/p1"},"owner":{"reference":"CareTeam/team-ward-a"},
                 "description":"Order more dressings"}""", "application/fhir+json");
        String id = response.resource(Task.class).getIdElement().getIdPart();

        assertThat(post(nurse, "/staff/escalations/" + id + "/accept").statusCode()).isEqualTo(404);
        assertThat(task(id).getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task(id).getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void eachRefusedAnswerIsInThePatientsAccessHistory() {
        String id = escalation();
        HttpClient stranger = signedIn(OTHER_NURSE);
        long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);

        assertThat(post(stranger, "/staff/escalations/" + id + "/accept").statusCode()).isEqualTo(403);
        assertThat(get(stranger, "/staff/escalations/" + id + "/decline").statusCode()).isEqualTo(403);
        assertThat(post(stranger, "/staff/escalations/" + id + "/decline", "reason", "Not mine").statusCode())
                .isEqualTo(403);

        // Each refusal has one failure record, naming the escalation's patient as an entity of the AuditEvent.
        var refusals = jdbc.queryForList("select seq, patients from audit.event where seq > ? and outcome = 4"
                + " and who = 'Practitioner/staff-002' order by seq", before);
        assertThat(refusals).hasSize(3).allSatisfy(row -> assertThat(row.get("patients")).isEqualTo("p1"));
        for (var row : refusals) {
            assertThat(jdbc.queryForObject("select count(*) from audit.event_patient where seq = ? and patient = 'p1'",
                    Long.class, row.get("seq"))).isEqualTo(1L);
        }
        // An escalation that is not there names nobody.
        before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        assertThat(post(stranger, "/staff/escalations/no-such-task/accept").statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForList("select patients from audit.event where seq > ? and outcome = 4", String.class,
                before)).singleElement().isNull();
    }

    @Test
    void aDeclineWithoutAReasonIs422AndOneAfterTheEscalationWasAnsweredMeanwhileIs409WithTheReasonKept() {
        String id = escalation();
        String decline = "/staff/escalations/" + id + "/decline";
        HttpResponse<String> empty = post(nurse, decline, "reason", " ");
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(422);
        assertThat(empty.body()).contains("Enter why you are declining this escalation");

        // Accepted (from the board, say) while the decline page was open.
        String form = get(nurse, decline).body();
        assertThat(post(nurse, "/staff/escalations/" + id + "/accept").statusCode()).isEqualTo(302);
        Map<String, String> late = fields("reason", "Patient already reviewed by the doctor");
        late.put("_csrf", csrf(form));
        HttpResponse<String> stale = tokens.postForm(nurse, "http://localhost:" + port + decline, late, true);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        assertThat(stale.body()).contains("Patient already reviewed by the doctor");
        assertThat(task(id).getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
    }
}
