package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search whose _include or _revinclude would add more than the server adds to a page says so over HTTP, with an
 * OperationOutcome entry (search.mode=outcome), rather than leaving the client to think it has everything.
 */
class IncludeLimitIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void includesCutAtTheLimitAreReportedInAnOutcomeEntry() {
        String patient = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
        // Loaded as a bulk import does, so that the store holds more than a page includes without 5001 requests.
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5001; i++) {
            lines.append("""
                    {"resourceType":"Basic","id":"many-%d","code":{"text":"n"},"subject":{"reference":"Patient/%s"}}
                    """.formatted(i, patient));
        }
        var written = http.post("/fhir/$import", lines.toString(), "application/fhir+ndjson");
        assertThat(written.status()).as(written.body()).isEqualTo(200);

        Bundle cut = http.get("/fhir/Patient?_id=" + patient + "&_revinclude=Basic:subject").bundle();

        assertThat(cut.getEntry()).filteredOn(e -> "include".equals(e.getSearch().getMode().toCode())).hasSize(5000);
        assertThat(cut.getEntry()).filteredOn(e -> "outcome".equals(e.getSearch().getMode().toCode()))
                .singleElement().satisfies(e -> {
                    OperationOutcome o = (OperationOutcome) e.getResource();
                    assertThat(o.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
                    assertThat(o.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.INCOMPLETE);
                    assertThat(o.getIssueFirstRep().getDiagnostics()).contains("5000");
                });
    }

    @Test
    void includesWithinTheLimitCarryNoWarning() {
        String patient = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
        http.post("/fhir/Basic", "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"n\"},\"subject\":{\"reference\":"
                + "\"Patient/" + patient + "\"}}", "application/fhir+json");

        Bundle bundle = http.get("/fhir/Patient?_id=" + patient + "&_revinclude=Basic:subject").bundle();

        assertThat(bundle.getEntry()).extracting(e -> e.getSearch().getMode().toCode())
                .containsExactly("match", "include");
    }
}
