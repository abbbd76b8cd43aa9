package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Basic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code PATCH [type]?[criteria]}: the one match is patched, as a bundle's conditional PATCH entry is. */
class ConditionalPatchIntegrationTests extends CharnwoodIntegrationTest {

    private static final String JSON_PATCH = "application/json-patch+json";
    private static final String RENAME = "[{\"op\":\"replace\",\"path\":\"/code/text\",\"value\":\"renamed\"}]";

    @Test
    void theOneMatchIsPatched() {
        String id = create("a");
        create("b");

        Response r = http.patch("/fhir/Basic?identifier=urn:test%7Ca", RENAME, JSON_PATCH, "If-Match", "W/\"1\"");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(r.resource(Basic.class).getIdElement().getIdPart()).isEqualTo(id);
        assertThat(http.get("/fhir/Basic/" + id).resource(Basic.class).getCode().getText()).isEqualTo("renamed");
    }

    @Test
    void noMatchIsNotFoundAndSeveralArePreconditionFailed() {
        create("a");
        create("a");

        assertThat(http.patch("/fhir/Basic?identifier=urn:test%7Cz", RENAME, JSON_PATCH).status()).isEqualTo(404);
        assertThat(http.patch("/fhir/Basic?identifier=urn:test%7Ca", RENAME, JSON_PATCH).status()).isEqualTo(412);
        assertThat(rows("fhir_resource_version")).isEqualTo(2);
    }

    @Test
    void criteriaThatSelectNothingAreRefused() {
        create("a");

        Response r = http.patch("/fhir/Basic?_format=json", RENAME, JSON_PATCH);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("CHARNWOOD-1015");
        assertThat(rows("fhir_resource_version")).isEqualTo(1);
    }

    @Test
    void onlyJsonPatchIsAccepted() {
        create("a");

        assertThat(http.patch("/fhir/Basic?identifier=urn:test%7Ca", RENAME, "application/json").status())
                .isEqualTo(415);
    }

    private String create(String identifier) {
        Response r = http.post("/fhir/Basic", "{\"resourceType\":\"Basic\",\"identifier\":[{\"system\":\"urn:test\","
                + "\"value\":\"" + identifier + "\"}],\"code\":{\"text\":\"note\"}}", "application/fhir+json");
        assertThat(r.status()).isEqualTo(201);
        return r.resource(Basic.class).getIdElement().getIdPart();
    }
}
