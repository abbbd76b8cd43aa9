package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conditional create, update or delete acts on what its search matches; a query with nothing in it that
 * selects resources (result controls, format parameters, empty values) must be refused, never read as "all".
 */
class ConditionalCriteriaIntegrationTests extends CharnwoodIntegrationTest {

    private static final String NO_CRITERIA = "CHARNWOOD-1015";

    @ParameterizedTest
    @ValueSource(strings = {"_format=json", "_count=1", "identifier=", "_pretty=true", "_summary=false",
            "_sort=_id", "_total=accurate", "_elements=code", "identifier=,", "_lastUpdated:missing=false"})
    void aConditionalDeleteWithoutCriteriaIsRefusedAndDeletesNothing(String query) {
        String first = create("a");
        String second = create("b");

        Response r = http.delete("/fhir/Basic?" + query);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains(NO_CRITERIA);
        assertThat(http.get("/fhir/Basic/" + first).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Basic/" + second).status()).isEqualTo(200);
    }

    @Test
    void aConditionalDeleteWithARealCriterionStillDeletesItsMatch() {
        String kept = create("a");
        String gone = create("b");

        assertThat(http.delete("/fhir/Basic?identifier=urn:test%7Cb&_format=json").status()).isEqualTo(204);

        assertThat(http.get("/fhir/Basic/" + kept).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Basic/" + gone).status()).isEqualTo(410);
    }

    @Test
    void aConditionalUpdateWithoutCriteriaIsRefusedAndOverwritesNothing() {
        String other = create("a");

        Response r = http.put("/fhir/Basic?_summary=false", basic("b"), "application/fhir+json");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains(NO_CRITERIA);
        assertThat(http.get("/fhir/Basic/" + other).resource(Basic.class).getIdentifierFirstRep().getValue())
                .isEqualTo("a");
        assertThat(rows("fhir_resource_version")).isEqualTo(1);
    }

    @Test
    void aConditionalCreateWithoutCriteriaIsRefusedRatherThanReturningAnUnrelatedResource() {
        create("a");

        Response r = http.post("/fhir/Basic", basic("b"), "application/fhir+json", "If-None-Exist", "_pretty=true");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains(NO_CRITERIA);
        assertThat(rows("fhir_resource")).isEqualTo(1);
    }

    @Test
    void aTransactionWhoseConditionalEntriesHaveNoCriteriaFailsAndWritesNothing() {
        String other = create("a");
        for (String entry : new String[]{
                "{\"request\":{\"method\":\"DELETE\",\"url\":\"Basic?_count=1\"}}",
                "{\"resource\":" + basic("b") + ",\"request\":{\"method\":\"PUT\",\"url\":\"Basic?_format=json\"}}",
                "{\"resource\":" + basic("b") + ",\"request\":{\"method\":\"POST\",\"url\":\"Basic\","
                        + "\"ifNoneExist\":\"_pretty=true\"}}",
                "{\"resource\":{\"resourceType\":\"Binary\",\"contentType\":\"application/json-patch+json\","
                        + "\"data\":\"W3sib3AiOiJyZXBsYWNlIiwicGF0aCI6Ii9jb2RlL3RleHQiLCJ2YWx1ZSI6IngifV0=\"},"
                        + "\"request\":{\"method\":\"PATCH\",\"url\":\"Basic?identifier=\"}}"}) {
            String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                    + "{\"resource\":" + basic("c") + ",\"request\":{\"method\":\"POST\",\"url\":\"Basic\"}},"
                    + entry + "]}";

            Response r = http.post("/fhir", transaction, "application/fhir+json");

            assertThat(r.status()).as(entry).isEqualTo(400);
            assertThat(r.body()).as(entry).contains(NO_CRITERIA);
            assertThat(rows("fhir_resource")).as(entry).isEqualTo(1);
            assertThat(http.get("/fhir/Basic/" + other).status()).isEqualTo(200);
        }
    }

    @Test
    void aBatchEntryWithoutCriteriaFailsOnItsOwn() {
        String other = create("a");
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"DELETE\",\"url\":\"Basic?_format=json\"}},"
                + "{\"resource\":" + basic("b") + ",\"request\":{\"method\":\"POST\",\"url\":\"Basic\"}}]}";

        Bundle response = http.post("/fhir", batch, "application/fhir+json").bundle();

        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("400");
        assertThat(FhirHttp.json(response.getEntry().get(0).getResponse().getOutcome())).contains(NO_CRITERIA);
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("201");
        assertThat(http.get("/fhir/Basic/" + other).status()).isEqualTo(200);
    }

    private String create(String identifier) {
        Response r = http.post("/fhir/Basic", basic(identifier), "application/fhir+json");
        assertThat(r.status()).isEqualTo(201);
        return r.resource(Basic.class).getIdElement().getIdPart();
    }

    private static String basic(String identifier) {
        return "{\"resourceType\":\"Basic\",\"identifier\":[{\"system\":\"urn:test\",\"value\":\"" + identifier
                + "\"}],\"code\":{\"text\":\"note\"}}";
    }
}
