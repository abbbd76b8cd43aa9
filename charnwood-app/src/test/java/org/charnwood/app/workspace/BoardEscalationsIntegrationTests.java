package org.charnwood.app.workspace;

import org.charnwood.app.repository.FhirSettings;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A board shows each patient's open escalations, however the escalation names the patient, and only to those who
 * may open the patient's clinical record: the escalation quotes the NEWS2 score.
 */
class BoardEscalationsIntegrationTests extends RecordEntryPagesTest {

    @Autowired
    FhirSettings settings;

    private void escalation(String patientReference, String description) {
        String task = """
                {"resourceType":"Task","status":"requested","intent":"order",
                 "code":{"coding":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/task-code",
                                    "code":"news2-escalation"}]},
                 "for":{"reference":"%s"},"description":"%s"}""".formatted(patientReference, description);
        var response = http.post("/fhir/Task", task, "application/fhir+json");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void escalationsNamingThePatientRelativelyOrByThisServersAddressAreBothShown() {
        escalation("Patient/p1", "Review NEWS2 of 5");
        // This server's own address, as configured: indexed and searched as the local reference it is.
        escalation(settings.serverBaseUrls().get(0) + "/Patient/p1", "Review NEWS2 of 7");

        String board = page(nurse, "/staff/wards/ward-a");

        assertThat(board).contains("data-escalation", "Review NEWS2 of 5", "Review NEWS2 of 7");
    }

    @Test
    void aBookingClerkOrANurseOfAnotherTeamSeesTheBoardsWithoutTheEscalations() {
        escalation("Patient/p1", "STAT: NEWS2 13 (High clinical risk)");
        assertThat(page(nurse, "/staff/teams/team-ward-a")).contains("STAT: NEWS2 13");

        // A booking clerk on the team: the caseload lists the patient (the team's episode is the relationship), but
        // the escalation is clinical.
        var clerk = signedIn(TestTokens.Caller.staff("Practitioner/staff-001", AccessRole.ADMIN_BOOKING));
        assertThat(page(clerk, "/staff/teams/team-ward-a")).contains("data-patient=\"p1\"")
                .doesNotContain("NEWS2 13", "data-escalation");
        assertThat(page(clerk, "/staff/wards/ward-a")).doesNotContain("NEWS2 13", "data-escalation");
        // A nurse of another team: another team's episodes are within its relationship (decision 22), so its
        // caseload shows them nobody, and no escalation.
        var stranger = signedIn(OTHER_NURSE);
        assertThat(page(stranger, "/staff/teams/team-ward-a")).doesNotContain("data-patient=\"p1\"", "NEWS2 13",
                "data-escalation");
        assertThat(page(stranger, "/staff/wards/ward-a")).doesNotContain("NEWS2 13", "data-escalation");
    }
}
