package org.charnwood.app.workspace;

import org.charnwood.app.repository.FhirSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** A board shows each patient's open escalations, however the escalation names the patient. */
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
}
