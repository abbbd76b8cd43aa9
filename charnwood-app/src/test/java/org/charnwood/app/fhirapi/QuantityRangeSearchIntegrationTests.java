package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quantity searches over HTTP on an element that holds a Range: R4 compares the search value's range with the
 * target's whole range (search.html#prefix), not with its low end.
 */
class QuantityRangeSearchIntegrationTests extends CharnwoodIntegrationTest {

    @BeforeEach
    void aConditionWithAnOnsetBetweenFortyAndFifty() {
        String patient = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
        condition(patient, "range", """
                "onsetRange":{"low":{"value":40,"unit":"a","system":"http://unitsofmeasure.org","code":"a"},
                              "high":{"value":50,"unit":"a","system":"http://unitsofmeasure.org","code":"a"}}""");
        condition(patient, "age", """
                "onsetAge":{"value":40,"unit":"a","system":"http://unitsofmeasure.org","code":"a"}""");
    }

    private void condition(String patient, String id, String onset) {
        assertThat(http.post("/fhir/Condition", """
                {"resourceType":"Condition","identifier":[{"system":"urn:cy","value":"%s"}],
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical",
                   "code":"resolved"}]},
                 "code":{"text":"onset"},"subject":{"reference":"Patient/%s"},%s}""".formatted(id, patient, onset),
                "application/fhir+json").status()).isEqualTo(201);
    }

    @Test
    void eachPrefixComparesTheSearchRangeWithTheWholeTargetRange() {
        assertThat(matches("40")).containsExactly("age");
        assertThat(matches("45")).isEmpty();
        assertThat(matches("ne40")).containsExactly("range");
        assertThat(matches("ge45")).containsExactly("range");
        assertThat(matches("gt49")).containsExactly("range");
        assertThat(matches("gt50")).isEmpty();
        assertThat(matches("lt41")).containsExactlyInAnyOrder("range", "age");
        assertThat(matches("lt40")).isEmpty();
        assertThat(matches("le40")).containsExactlyInAnyOrder("range", "age");
        assertThat(matches("sa39")).containsExactlyInAnyOrder("range", "age");
        assertThat(matches("sa40")).isEmpty();
        assertThat(matches("eb51")).containsExactlyInAnyOrder("range", "age");
        assertThat(matches("eb50")).containsExactly("age");
        assertThat(matches("ap47")).containsExactly("range");
        assertThat(matches("4e1")).containsExactly("age");
        assertThat(matches("40%7Chttp://unitsofmeasure.org%7Ca")).containsExactly("age");
    }

    private java.util.List<String> matches(String value) {
        var response = http.get("/fhir/Condition?onset-age=" + value);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.bundle().getEntry().stream()
                .map(e -> ((org.hl7.fhir.r4.model.Condition) e.getResource()).getIdentifierFirstRep().getValue())
                .toList();
    }
}
