package org.charnwood.fhir.patch;

import org.charnwood.fhir.FhirException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FhirJsonPatchTests {

    private static final String OBSERVATION = "{\"resourceType\":\"Observation\",\"id\":\"obs1\",\"status\":\"final\","
            + "\"valueQuantity\":{\"value\":1.50,\"unit\":\"mmol/L\"}}";

    @Test
    void keepsTheWrittenPrecisionOfDecimals() {
        String patched = FhirJsonPatch.apply(OBSERVATION,
                JsonPatch.parse("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]"));

        assertThat(patched).contains("\"value\":1.50").contains("\"status\":\"amended\"");
    }

    @Test
    void refusesChangingOrRemovingTheId() {
        assertRefused("[{\"op\":\"replace\",\"path\":\"/id\",\"value\":\"other\"}]", "Observation.id");
        assertRefused("[{\"op\":\"remove\",\"path\":\"/id\"}]", "Observation.id");
    }

    @Test
    void refusesChangingTheResourceType() {
        assertRefused("[{\"op\":\"replace\",\"path\":\"/resourceType\",\"value\":\"Patient\"}]", "Observation");
        assertRefused("[{\"op\":\"replace\",\"path\":\"\",\"value\":[]}]", "Observation");
    }

    @Test
    void findsAndMapsReferencesWrittenByAPatch() {
        JsonPatch patch = JsonPatch.parse("[{\"op\":\"replace\",\"path\":\"/subject\","
                + "\"value\":{\"reference\":\"urn:uuid:1\",\"display\":\"urn:uuid:1\"}},"
                + "{\"op\":\"add\",\"path\":\"/performer/0/reference\",\"value\":\"urn:uuid:2\"},"
                + "{\"op\":\"add\",\"path\":\"/note/0/text\",\"value\":\"urn:uuid:3\"}]");

        assertThat(FhirJsonPatch.references(patch)).containsExactly("urn:uuid:1", "urn:uuid:2");

        JsonPatch mapped = FhirJsonPatch.withReferences(patch,
                r -> Map.of("urn:uuid:1", "Patient/a", "urn:uuid:2", "Practitioner/b").getOrDefault(r, r));
        assertThat(FhirJsonPatch.references(mapped)).containsExactly("Patient/a", "Practitioner/b");
        assertThat(((PatchOperation.Replace) mapped.operations().get(0)).value().get("display").asText())
                .isEqualTo("urn:uuid:1");
        assertThat(FhirJsonPatch.references(patch)).containsExactly("urn:uuid:1", "urn:uuid:2");
    }

    private static void assertRefused(String patch, String expression) {
        assertThatThrownBy(() -> FhirJsonPatch.apply(OBSERVATION, JsonPatch.parse(patch)))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.outcome().getIssueFirstRep().getExpression().get(0).getValue())
                            .isEqualTo(expression);
                });
    }
}
