package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.search.SearchParamType;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example instance of the UK Core 2.0.2 package is accepted, comes back unchanged apart from
 * {@code meta}, and is found by each value of each of its search parameters. A few examples refer to examples the
 * package does not hold (a DiagnosticReport, a Device, an Organization, a BodyStructure, an Observation) or to the
 * one refused for its NHS number, so they are loaded as a server configured to allow dangling references would
 * take them. Patients must meet UK Core here whether or not they claim it, as a trust may configure, which every
 * example Patient does.
 */
@TestPropertySource(properties = {"charnwood.fhir.refuse-dangling-references=false",
        "charnwood.fhir.enforced-profiles.Patient=" + UkCoreExamplesIntegrationTests.UK_CORE_PATIENT})
class UkCoreExamplesIntegrationTests extends CharnwoodIntegrationTest {

    static final String UK_CORE_PATIENT = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";
    private static final Path EXAMPLES = Path.of("src/test/resources/uk-core-examples");
    /** The published example's NHS number 9912003890 fails the Modulus 11 check, so it must be refused. */
    private static final String INVALID_EXAMPLE = "Patient-UKCore-Patient-BabyPatient-Example.json";

    private List<Resource> examples;

    @Autowired
    SearchParameterRegistry registry;

    @BeforeEach
    void loadExamples() throws IOException {
        examples = new ArrayList<>();
        StringBuilder ndjson = new StringBuilder();
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().equals(INVALID_EXAMPLE)).sorted().toList()) {
                // Keep bundle entries' own ids: HAPI would otherwise replace them with the fullUrl.
                Resource r = (Resource) FhirContexts.r4().newJsonParser()
                        .setOverrideResourceIdWithBundleEntryFullUrl(false).parseResource(Files.readString(file));
                examples.add(r);
                ndjson.append(FhirContexts.r4().newJsonParser().encodeResourceToString(r)).append('\n');
            }
        }
        Response imported = http.post("/fhir/$import", ndjson.toString(), "application/fhir+ndjson");
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    }

    @Test
    void theExampleWithAnInvalidNhsNumberIsRefused() throws IOException {
        String body = Files.readString(EXAMPLES.resolve(INVALID_EXAMPLE));

        Response r = http.put("/fhir/Patient/UKCore-Patient-BabyPatient-Example", body, "application/fhir+json");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("CHARNWOOD-1024");
    }

    @Test
    void anEnforcedProfileRefusesAPatientThatClaimsNothingAndIsDeclaredInTheCapabilityStatement() {
        Response r = http.post("/fhir/Patient", """
                {"resourceType":"Patient","extension":[
                  {"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
                   "valueString":"not a coded ethnic category"}]}""", "application/fhir+json");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.outcome().getIssueFirstRep().getExpression().getFirst().getValue())
                .startsWith("Patient.extension[0]");
        org.hl7.fhir.r4.model.CapabilityStatement cs = http.get("/fhir/metadata")
                .resource(org.hl7.fhir.r4.model.CapabilityStatement.class);
        assertThat(cs.getRestFirstRep().getResource()).filteredOn(t -> t.getType().equals("Patient")).singleElement()
                .satisfies(t -> {
                    assertThat(t.getProfile()).isEqualTo(UK_CORE_PATIENT);
                    assertThat(t.getSupportedProfile()).extracting(org.hl7.fhir.r4.model.CanonicalType::getValue)
                            .contains(UK_CORE_PATIENT);
                });
        assertThat(cs.getRestFirstRep().getResource()).filteredOn(t -> t.getType().equals("Observation"))
                .singleElement().satisfies(t -> assertThat(t.getSupportedProfile())
                        .extracting(org.hl7.fhir.r4.model.CanonicalType::getValue)
                        .contains("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation")
                        .noneMatch(url -> url.contains("Extension")));
        assertThat(cs.getRestFirstRep().getResource()).filteredOn(t -> t.getType().equals("Observation"))
                .singleElement().satisfies(t -> assertThat(t.hasProfile()).isFalse());
    }

    @Test
    void everyExampleIsStoredAndReadBackUnchangedApartFromMeta() {
        assertThat(examples).hasSize(139);
        for (Resource original : examples) {
            String path = "/fhir/" + original.fhirType() + "/" + original.getIdElement().getIdPart();
            Resource stored = http.get(path).resource(Resource.class);
            assertThat(withoutMeta(stored)).as(path).isEqualTo(withoutMeta(original));
        }
    }

    @Test
    void everyExampleIsFoundByEveryValueOfEveryIndexedSearchParameter() {
        List<String> misses = new ArrayList<>();
        int queries = 0;
        for (Resource example : examples) {
            String type = example.fhirType();
            String id = example.getIdElement().getIdPart();
            for (String query : queriesFor(type, id)) {
                queries++;
                Response r = http.get("/fhir/" + type + "?" + query + "&_count=1000");
                boolean found = r.status() == 200 && r.bundle().getEntry().stream()
                        .map(Bundle.BundleEntryComponent::getResource)
                        .anyMatch(res -> res.getIdElement().getIdPart().equals(id));
                if (!found) {
                    misses.add(type + "/" + id + " not found by " + query + " (" + r.status() + ")");
                }
            }
        }
        assertThat(misses).isEmpty();
        assertThat(queries).isGreaterThan(500);
    }

    /** One query per index row the repository holds for the resource: what the indexer saw, the search must find. */
    private List<String> queriesFor(String type, String id) {
        Long pk = jdbc.queryForObject("select res_pk from fhir_resource where res_type = ? and res_id = ?", Long.class,
                type, id);
        List<String> queries = new ArrayList<>();
        queries.add("_id=" + enc(id));
        for (Map<String, Object> row : jdbc.queryForList(
                "select param, system, code from idx_token where res_pk = ? and code is not null", pk)) {
            String system = (String) row.get("system");
            // A logical reference's identifier is indexed as a token of the reference parameter.
            boolean reference = registry.find(type, (String) row.get("param"))
                    .map(d -> d.type() == SearchParamType.REFERENCE).orElse(false);
            queries.add(row.get("param") + (reference ? ":identifier=" : "=") + enc((system == null ? "" : escape(system) + "|")
                    + escape((String) row.get("code"))));
        }
        boolean phonetic = registry.find(type, "phonetic").isPresent();
        for (Map<String, Object> row : jdbc.queryForList(
                "select param, value_exact from idx_string where res_pk = ?", pk)) {
            if (row.get("param").equals("phonetic")) {
                continue; // the sound of a name, not a value as written: found by the family name below
            }
            queries.add(row.get("param") + ":exact=" + enc(escape((String) row.get("value_exact"))));
            if (phonetic && row.get("param").equals("family")) {
                queries.add("phonetic=" + enc(escape((String) row.get("value_exact"))));
            }
        }
        for (Map<String, Object> row : jdbc.queryForList(
                "select param, target_type, target_id, target_url from idx_reference where res_pk = ?", pk)) {
            if (row.get("target_id") != null) {
                queries.add(row.get("param") + "=" + enc(row.get("target_type") + "/" + row.get("target_id")));
            } else if (row.get("target_url") != null) {
                queries.add(row.get("param") + "=" + enc(escape((String) row.get("target_url"))));
            }
        }
        for (Map<String, Object> row : jdbc.queryForList(
                "select param, to_char(lo at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as lo from idx_date where res_pk = ?",
                pk)) {
            queries.add(row.get("param") + "=ge" + enc((String) row.get("lo")));
        }
        for (Map<String, Object> row : jdbc.queryForList("select param, uri from idx_uri where res_pk = ?", pk)) {
            queries.add(row.get("param") + "=" + enc(escape((String) row.get("uri"))));
        }
        for (Map<String, Object> row : jdbc.queryForList(
                "select param, value::text as v from idx_quantity where res_pk = ? union all "
                        + "select param, value::text from idx_number where res_pk = ?", pk, pk)) {
            queries.add(row.get("param") + "=" + enc((String) row.get("v")));
        }
        return queries;
    }

    private static String withoutMeta(Resource r) {
        Resource copy = r.copy();
        copy.setMeta(null);
        copy.setId(r.getIdElement().getIdPart());
        return FhirContexts.r4().newJsonParser().encodeResourceToString(copy);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("$", "\\$").replace("|", "\\|");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
