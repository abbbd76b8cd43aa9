package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code $import} of NDJSON: ids kept, every resource through the normal write path, all or nothing. */
class BulkImportIntegrationTests extends CharnwoodIntegrationTest {

    /** Every table an import writes to: none may hold a row of an import that was refused. */
    private static final List<String> WRITTEN_TABLES = List.of("fhir_resource", "fhir_resource_version",
            "fhir_outbox", "fhir_link", "idx_string", "idx_token", "idx_date", "idx_reference", "idx_uri");

    @Autowired
    OperationDefinitions definitions;

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
    void aLineCarryingASecurityLabelThePolicyDoesNotKnowIsABadLineAndNothingIsWritten() {
        String body = NDJSON + "{\"resourceType\":\"Patient\",\"id\":\"pat-3\",\"meta\":{\"security\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-Confidentiality\",\"code\":\"Q\"}]}}\n"
                + "{\"resourceType\":\"Patient\",\"id\":\"pat-4\",\"meta\":{\"security\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"NOTASENSITIVITY\"}]}}\n";

        Response r = http.post("/fhir/$import", body, "application/fhir+ndjson");

        assertThat(r.status()).isEqualTo(422);
        List<String> said = r.outcome().getIssue().stream().map(OperationOutcomeIssueComponent::getDiagnostics)
                .toList();
        assertThat(said.get(0)).startsWith("request body line 4 (Patient/pat-3): ").contains("v3-Confidentiality#Q").contains("not one this record system enforces");
        assertThat(said.get(1)).startsWith("request body line 5 (Patient/pat-4): ").contains("#NOTASENSITIVITY");
        assertNothingWritten();
    }

    @Test
    void anImportIsOneAuditRecordNamingThePatientsOfEverythingItStored() {
        long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        String body = NDJSON + "{\"resourceType\":\"Observation\",\"id\":\"obs-2\",\"status\":\"final\","
                + "\"code\":{\"text\":\"pulse\"},\"subject\":{\"reference\":\"Patient/pat-3\"}}\n"
                + "{\"resourceType\":\"Patient\",\"id\":\"pat-3\",\"name\":[{\"family\":\"Chowdhury\"}]}\n";

        assertThat(http.post("/fhir/$import", body, "application/fhir+ndjson").status()).isEqualTo(200);

        List<java.util.Map<String, Object>> imports = jdbc.queryForList("select patients, content from audit.event"
                + " where seq > ? and subtype = 'operation' and content like '%$import%'", before);
        assertThat(imports).hasSize(1);
        assertThat(List.of(((String) imports.get(0).get("patients")).split(",")))
                .containsExactlyInAnyOrder("pat-1", "pat-2", "pat-3");
        assertThat((String) imports.get(0).get("content")).contains("5 resources stored by the import");
    }

    @Test
    void anEmptyBodyIsRefusedAndNothingIsWritten() {
        for (String empty : List.of("", "\n  \n\n")) {
            Response r = http.post("/fhir/$import", empty, "application/fhir+ndjson");

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("The body holds no resources");
        }
        assertNothingWritten();
    }

    @Test
    void aBodyThatIsNotNdjsonIsRefusedWith415() {
        assertThat(http.post("/fhir/$import", NDJSON, "application/fhir+json").status()).isEqualTo(415);
    }

    @Test
    void aFileWithBadLinesIsRefusedWholeNamingEveryBadLineAndNothingOfItIsWritten() {
        List<String> lines = IntStream.rangeClosed(1, 5000).mapToObj(BulkImportIntegrationTests::basic)
                .collect(Collectors.toList());
        lines.set(899, "{\"resourceType\":\"Basic\",\"id\":\"imp2-900\",\"code\":{\"coding\":[{\"display\":5}]}}");
        lines.set(2999, "{\"resourceType\":\"Basic\",\"id\":\"imp2-3000\"}");
        lines.set(4499, basic(4500).replace("}}", "},\"subject\":{\"reference\":\"Patient/nobody-here\"}}"));

        Response r = http.post("/fhir/$import", String.join("\n", lines) + "\n", "application/fhir+ndjson");

        assertThat(r.status()).isEqualTo(422);
        List<OperationOutcomeIssueComponent> issues = r.outcome().getIssue();
        assertThat(issues).extracting(OperationOutcomeIssueComponent::getDiagnostics)
                .anySatisfy(d -> assertThat(d).startsWith("request body line 900"))
                .anySatisfy(d -> assertThat(d).startsWith("request body line 3000 (Basic/imp2-3000): "))
                .anySatisfy(d -> assertThat(d).startsWith("request body line 4500 (Basic/imp2-4500): ")
                        .contains("Patient/nobody-here"));
        assertThat(issues).filteredOn(i -> i.getDiagnostics().startsWith("request body line 3000"))
                .flatExtracting(i -> i.getExpression().stream().map(Object::toString).toList())
                .anySatisfy(e -> assertThat(e).startsWith("Basic"));
        assertThat(issues.getLast().getDiagnostics()).startsWith("Nothing was imported: 3 lines were refused");
        assertNothingWritten();
    }

    @Test
    void aFailureOfTheDatabaseWhileWritingRollsBackEverythingTheImportWrote() {
        String body = IntStream.rangeClosed(1, 3500).mapToObj(BulkImportIntegrationTests::basic)
                .collect(Collectors.joining("\n"));
        // The last chunk fails in the database after three chunks have gone in.
        jdbc.execute("""
                create function refuse_imp2_3400() returns trigger language plpgsql as $$
                begin
                  if new.res_id = 'imp2-3400' then raise exception 'no space left on device'; end if;
                  return new;
                end $$;
                create trigger refuse_imp2_3400 before insert on fhir_resource
                  for each row execute function refuse_imp2_3400()""");
        Response r;
        try {
            r = http.post("/fhir/$import", body, "application/fhir+ndjson");
        } finally {
            jdbc.execute("drop trigger refuse_imp2_3400 on fhir_resource; drop function refuse_imp2_3400()");
        }

        assertThat(r.status()).isGreaterThanOrEqualTo(500);
        assertNothingWritten();
    }

    @Test
    void aReferenceToAResourceNeitherImportedNorStoredIsRefusedAsAPutIsRefused() {
        String observation = "{\"resourceType\":\"Observation\",\"id\":\"imp-dangle-1\",\"status\":\"final\","
                + "\"code\":{\"text\":\"pulse\"},\"subject\":{\"reference\":\"Patient/does-not-exist-xyz\"}}";

        Response imported = http.post("/fhir/$import", observation + "\n", "application/fhir+ndjson");
        Response put = http.put("/fhir/Observation/imp-dangle-1", observation, "application/fhir+json");

        assertThat(put.status()).isEqualTo(422);
        assertThat(imported.status()).isEqualTo(422);
        var issue = imported.outcome().getIssueFirstRep();
        assertThat(issue.getDetails().getCodingFirstRep().getCode())
                .isEqualTo(put.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
        assertThat(issue.getDiagnostics()).startsWith("request body line 1 (Observation/imp-dangle-1): ")
                .contains("Patient/does-not-exist-xyz");
        assertNothingWritten();
    }

    @Test
    void referencesToStoredResourcesAndToOthersOfTheImportAreAccepted() {
        http.post("/fhir/$import", "{\"resourceType\":\"Patient\",\"id\":\"stored-1\"}\n", "application/fhir+ndjson");

        Response r = http.post("/fhir/$import", """
                {"resourceType":"Observation","id":"obs-9","status":"final","code":{"text":"pulse"},"subject":{"reference":"Patient/stored-1"},"performer":[{"reference":"Practitioner/pr-9"}]}
                {"resourceType":"Practitioner","id":"pr-9"}
                """, "application/fhir+ndjson");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.outcome().getIssue()).hasSize(1);
        assertThat(http.get("/fhir/Observation/obs-9").status()).isEqualTo(200);
    }

    @Test
    void theCapabilityStatementNamesOurOwnDefinitionOfImportWhichIsServed() {
        definitions.publish();
        CapabilityStatement cs = http.get("/fhir/metadata").resource(CapabilityStatement.class);

        String url = cs.getRestFirstRep().getOperation().stream().filter(o -> o.getName().equals("import"))
                .findFirst().orElseThrow().getDefinition();
        assertThat(url).isEqualTo("https://charnwood.nhs.uk/fhir/OperationDefinition/import");
        OperationDefinition served = http.get("/fhir/OperationDefinition/import").resource(OperationDefinition.class);
        assertThat(served.getUrl()).isEqualTo(url);
        assertThat(served.getSystem()).isTrue();
        assertThat(served.getDescription()).contains("application/fhir+ndjson");
        assertThat(http.get("/fhir/OperationDefinition?url=" + url).bundle().getEntry()).hasSize(1);
    }

    private void assertNothingWritten() {
        for (String table : WRITTEN_TABLES) {
            assertThat(rows(table)).as(table).isZero();
        }
    }

    private static String basic(int n) {
        return "{\"resourceType\":\"Basic\",\"id\":\"imp2-" + n + "\",\"code\":{\"text\":\"line " + n + "\"}}";
    }
}
