package org.charnwood.app.observations;

import org.charnwood.app.repository.OutboxRelay;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The escalation chain that a NEWS2 score at low-medium risk or above starts, step by step. */
class EscalationIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    OutboxRelay relay;

    @Autowired
    Escalations escalations;

    private String patient;
    private int minute;

    @BeforeEach
    void patientOnATeamCaseload() {
        patient = "Patient/" + http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.Patient.class).getIdElement().getIdPart();
        http.put("/fhir/CareTeam/team-dn-north", """
                {"resourceType":"CareTeam","id":"team-dn-north","status":"active","name":"District nursing north"}""",
                "application/fhir+json");
        http.put("/fhir/Practitioner/staff-001", "{\"resourceType\":\"Practitioner\",\"id\":\"staff-001\"}",
                "application/fhir+json");
        http.post("/fhir/EpisodeOfCare", """
                {"resourceType":"EpisodeOfCare","status":"active","patient":{"reference":"%s"},
                 "team":[{"reference":"CareTeam/team-dn-north"}]}""".formatted(patient), "application/fhir+json");
    }

    /** Writes a complete set of observations; pulse and temperature decide the risk. */
    private void observations(int pulse, String temperature) {
        String when = "2026-11-20T10:%02d:00+00:00".formatted(minute++);
        String[] entries = {
                vital("9279-1", "22", "/min", when), vital("2708-6", "97", "%", when), coded("722742002", null, when),
                vital("8480-6", "120", "mm[Hg]", when), vital("8867-4", String.valueOf(pulse), "/min", when),
                coded("1104441000000107", "248234008", when), vital("8310-5", temperature, "Cel", when)};
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < entries.length; i++) {
            bundle.append(i == 0 ? "" : ",").append("{\"resource\":").append(entries[i])
                    .append(",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        assertThat(http.post("/fhir", bundle + "]}", "application/fhir+json").status()).isEqualTo(200);
    }

    private String vital(String loinc, String value, String unit, String when) {
        return """
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"%s"}]},
                 "subject":{"reference":"%s"},"effectiveDateTime":"%s",
                 "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
                .formatted(loinc, patient, when, value, unit, unit);
    }

    private String coded(String code, String value, String when) {
        String coded = value == null ? "" : ",\"valueCodeableConcept\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"" + value + "\"}]}";
        return """
                {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"}]},
                 "subject":{"reference":"%s"},"effectiveDateTime":"%s"%s}""".formatted(code, patient, when, coded);
    }

    private List<Task> escalationTasks() {
        relay.relayPending();
        return http.get("/fhir/Task?code=https://charnwood.nhs.uk/fhir/CodeSystem/task-code%7Cnews2-escalation&patient="
                + patient).bundle().getEntry().stream().map(e -> (Task) e.getResource()).toList();
    }

    private Task awaitEscalation() {
        await().atMost(Duration.ofSeconds(15)).until(() -> escalationTasks().size() == 1);
        return escalationTasks().get(0);
    }

    /** The escalation the platform opened for a score, among {@code open} open ones in all. */
    private Task awaitEscalation(int open) {
        await().atMost(Duration.ofSeconds(30)).until(() -> escalationTasks().stream()
                .filter(Task::hasFocus).filter(t -> t.getFocus().getReference() != null).count() == 1
                && escalationTasks().size() == open);
        return escalationTasks().stream().filter(t -> t.getFocus().getReference() != null).findFirst().orElseThrow();
    }

    private Task reread(Task task) {
        return http.get("/fhir/Task/" + task.getIdElement().getIdPart()).resource(Task.class);
    }

    private static String level(Task task) {
        return task.getPerformerTypeFirstRep().getCodingFirstRep().getCode();
    }

    @Test
    void aMediumScoreAlertsTheNurseInChargeOfThePatientsTeam() {
        observations(115, "38.2"); // NEWS2 5: medium

        Task task = awaitEscalation();
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getPriority()).isEqualTo(Task.TaskPriority.URGENT);
        assertThat(task.getOwner().getReference()).isEqualTo("CareTeam/team-dn-north");
        assertThat(level(task)).isEqualTo("nurse-in-charge");
        assertThat(task.getFocus().getReference()).startsWith("Observation/");
        assertThat(task.getDescription()).contains("NEWS2 5").contains("Medium");
        assertThat(task.getRestriction().getPeriod().getEnd().toInstant())
                .isEqualTo(task.getAuthoredOn().toInstant().plus(Duration.ofMinutes(30)));
    }

    @Test
    void aLowScoreStartsNoEscalation() {
        observations(72, "36.8"); // NEWS2 2

        relay.relayPending();
        relay.relayPending();
        assertThat(escalationTasks()).isEmpty();
    }

    @Test
    void anUnansweredEscalationIsReAlertedThenGoesUpToTheDoctorOnCall() {
        observations(115, "38.2");
        Task task = awaitEscalation();
        Instant opened = task.getAuthoredOn().toInstant();

        escalations.checkOverdue(opened.plus(Duration.ofMinutes(10)));
        assertThat(reread(task).getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("awaiting-response");

        escalations.checkOverdue(opened.plus(Duration.ofMinutes(16)));
        assertThat(reread(task).getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("re-alerted");
        assertThat(level(reread(task))).isEqualTo("nurse-in-charge");

        escalations.checkOverdue(opened.plus(Duration.ofMinutes(31)));
        Task escalated = reread(task);
        assertThat(level(escalated)).isEqualTo("doctor-on-call");
        assertThat(escalated.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("escalated");
        assertThat(escalated.getNote()).hasSize(3);
        assertThat(http.get("/fhir/Task/" + task.getIdElement().getIdPart() + "/_history").bundle().getEntry())
                .hasSize(3);
    }

    @Test
    void anEscalationWrittenWithoutADueTimeIsDueAWindowAfterItWasAuthoredAndHoldsNoOtherBackOnAnyPage() {
        Instant authored = clock.instant().minus(Duration.ofHours(1));
        String undated = http.post("/fhir/Task", """
                {"resourceType":"Task","status":"requested","intent":"order","priority":"urgent",
                 "code":{"coding":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/task-code","code":"news2-escalation"}]},
                 "for":{"reference":"%s"},"authoredOn":"%s"}""".formatted(patient, authored),
                "application/fhir+json").resource(Task.class).getIdElement().getIdPart();
        String neverDated = http.post("/fhir/Task", """
                {"resourceType":"Task","status":"requested","intent":"order",
                 "code":{"coding":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/task-code","code":"news2-escalation"}]},
                 "for":{"reference":"%s"}}""".formatted(patient), "application/fhir+json").resource(Task.class).getIdElement().getIdPart();
        observations(115, "38.2");
        Task scored = awaitEscalation(2);

        // Ten minutes after it was authored an urgent escalation is not yet due; an hour after, it is overdue.
        escalations.checkOverdue(authored.plus(Duration.ofMinutes(10)));
        assertThat(level(http.get("/fhir/Task/" + undated).resource(Task.class))).isNotEqualTo("doctor-on-call");
        // Read one at a time, so that every page of open escalations is seen to be checked.
        escalations.checkOverdue(scored.getAuthoredOn().toInstant().plus(Duration.ofMinutes(31)), 1);

        for (String id : List.of(undated, neverDated, scored.getIdElement().getIdPart())) {
            Task task = http.get("/fhir/Task/" + id).resource(Task.class);
            assertThat(level(task)).as("Task/" + id).isEqualTo("doctor-on-call");
            assertThat(task.getRestriction().getPeriod().hasEnd()).as("Task/" + id + " now has a due time").isTrue();
        }
    }

    @Test
    void anAcceptedEscalationIsNotEscalatedFurther() {
        observations(115, "38.2");
        Task task = awaitEscalation();

        escalations.accept(task.getIdElement().getIdPart(), "Practitioner/staff-001",
                task.getAuthoredOn().toInstant().plus(Duration.ofMinutes(5)));
        escalations.checkOverdue(task.getAuthoredOn().toInstant().plus(Duration.ofHours(2)));

        Task accepted = reread(task);
        assertThat(accepted.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(accepted.getOwner().getReference()).isEqualTo("Practitioner/staff-001");
        assertThat(level(accepted)).isEqualTo("nurse-in-charge");
        assertThatThrownBy(() -> escalations.decline(task.getIdElement().getIdPart(), "Practitioner/staff-002",
                "not needed", Instant.now())).hasMessageContaining("already been answered");
    }

    @Test
    void anEscalationKeepsItsSecurityLabelsWhenItIsAnsweredOrPassedUp() {
        observations(115, "38.2");
        Task task = awaitEscalation();
        String id = task.getIdElement().getIdPart();
        task.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V", "very restricted");
        assertThat(http.putJson("/fhir/Task/" + id, task).status()).isEqualTo(200);

        // Passed up when overdue, then accepted: each a new version written by the escalation chain.
        escalations.checkOverdue(task.getAuthoredOn().toInstant().plus(Duration.ofHours(2)));
        escalations.accept(id, "Practitioner/staff-001", task.getAuthoredOn().toInstant().plus(Duration.ofHours(3)));

        Task answered = reread(task);
        assertThat(answered.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(answered.getMeta().getVersionId()).isNotEqualTo(task.getMeta().getVersionId());
        assertThat(answered.getMeta().getSecurity()).extracting(c -> c.getCode()).contains("V");
    }

    @Test
    void decliningPassesItUpAndAtTheTopEndsTheChainWithTheReason() {
        observations(115, "38.2");
        Task task = awaitEscalation();
        Instant opened = task.getAuthoredOn().toInstant();
        assertThatThrownBy(() -> escalations.decline(task.getIdElement().getIdPart(), "Practitioner/staff-001", " ",
                opened)).hasMessageContaining("reason");

        escalations.decline(task.getIdElement().getIdPart(), "Practitioner/staff-001", "on a home visit", opened);
        assertThat(level(reread(task))).isEqualTo("doctor-on-call");

        escalations.decline(task.getIdElement().getIdPart(), "Practitioner/staff-050",
                "known to palliative team, comfort care", opened.plus(Duration.ofMinutes(2)));
        Task declined = reread(task);
        assertThat(declined.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
        assertThat(declined.getStatusReason().getText()).isEqualTo("known to palliative team, comfort care");
    }

    @Test
    void aWorseScoreWhileOpenRaisesThePriorityOfTheSameEscalation() {
        observations(115, "38.2"); // medium
        Task first = awaitEscalation();

        observations(135, "39.5"); // pulse 3 + temp 2 + RR 2 = 7: high
        await().atMost(Duration.ofSeconds(15)).until(() ->
                escalationTasks().get(0).getPriority() == Task.TaskPriority.STAT);

        assertThat(escalationTasks()).hasSize(1);
        assertThat(escalationTasks().get(0).getIdElement().getIdPart()).isEqualTo(first.getIdElement().getIdPart());
    }
}
