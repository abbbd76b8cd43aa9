package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code $import} of NDJSON: ids kept, every resource through the normal write path. */
class BulkImportIntegrationTests extends CharnwoodIntegrationTest {

    private static final String NDJSON = """
            {"resourceType":"Observation","id":"obs-1","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/pat-1"}}
            {"resourceType":"Patient","id":"pat-1","name":[{"family":"Ahmed"}]}
            {"resourceType":"Patient","id":"pat-2","name":[{"family":"Begum"}]}
            """;

    @Test
    void importsNdjsonKeepingIdsWhateverTheOrderOfLines() {
        Response r = http.post("/fhir/$import", NDJSON, "application/fhir+ndjson");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).startsWith("Imported 3 resources: 3 created");
        assertThat(http.get("/fhir/Patient/pat-1").resource(Patient.class).getNameFirstRep().getFamily())
                .isEqualTo("Ahmed");
        assertThat(rows("fhir_resource_version")).isEqualTo(3);
        assertThat(rows("fhir_outbox")).isEqualTo(3);
    }

    @Test
    void importingTheSameIdsAgainUpdatesThem() {
        http.post("/fhir/$import", NDJSON, "application/fhir+ndjson");

        Response again = http.post("/fhir/$import", NDJSON, "application/fhir+ndjson");

        assertThat(again.outcome().getIssueFirstRep().getDiagnostics()).contains("0 created, 3 updated");
        assertThat(http.get("/fhir/Patient/pat-1").header("ETag")).isEqualTo("W/\"2\"");
    }

    @Test
    void aBadLineIsRefusedNamingItsLineAndNothingOfItsChunkIsWritten() {
        String bad = NDJSON + "{\"resourceType\":\"Patient\",\"id\":\"pat-3\",\"birthDate\":\"not-a-date\"}\n";

        Response r = http.post("/fhir/$import", bad, "application/fhir+ndjson");

        assertThat(r.status()).isIn(400, 422);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("line 4");
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void aBadLineIsNamedByItsLineInTheBodyBlankLinesCounted() {
        String body = "\n" + "{\"resourceType\":\"Patient\",\"id\":\"pat-1\"}\n" + "\n  \n"
                + "{\"resourceType\":\"Patient\",\"id\":\"pat-2\",\"gender\":\"zz\"}\n";

        Response r = http.post("/fhir/$import", body, "application/fhir+ndjson");

        assertThat(r.status()).isIn(400, 422);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).startsWith("request body line 5: ");
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void aResourceRefusedWhenWrittenIsNamedByItsLineAndId() {
        String body = """
                {"resourceType":"Practitioner","id":"imp-k","name":[{"family":"Khan"}]}

                {"resourceType":"Patient","id":"imp-p1","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765911"}]}
                """;

        Response r = http.post("/fhir/$import", body, "application/fhir+ndjson");

        assertThat(r.status()).isEqualTo(422);
        var issue = r.outcome().getIssueFirstRep();
        assertThat(issue.getDiagnostics()).startsWith("request body line 3 (Patient/imp-p1): ")
                .contains("not a valid NHS number");
        assertThat(issue.getDetails().getText()).startsWith("request body line 3 (Patient/imp-p1): ");
        assertThat(issue.getExpression()).extracting(Object::toString).containsExactly("Patient.identifier[0].value");
        assertThat(http.get("/fhir/Practitioner/imp-k").status()).isEqualTo(404);
    }

    @Test
    void aBodyThatIsNotNdjsonIsRefusedWith415() {
        assertThat(http.post("/fhir/$import", NDJSON, "application/fhir+json").status()).isEqualTo(415);
    }
}
