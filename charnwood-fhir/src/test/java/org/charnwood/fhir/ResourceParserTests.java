package org.charnwood.fhir;

import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceParserTests {
    private final ResourceParser parser = new ResourceParser();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a string for a boolean         | {"resourceType":"Patient","active":"true"}                          | Patient.active
            a string for an integer        | {"resourceType":"Patient","multipleBirthInteger":"2"}               | Patient.multipleBirth.ofType(integer)
            a number for a string          | {"resourceType":"Patient","birthDate":1999}                         | Patient.birthDate
            an object for a list           | {"resourceType":"Patient","name":{"family":"Smith"}}                | Patient.name
            a list for a single value      | {"resourceType":"Patient","gender":["male"]}                        | Patient.gender
            an empty list                  | {"resourceType":"Patient","name":[]}                                | Patient.name
            an empty object                | {"resourceType":"Patient","name":[{}]}                              | Patient.name[0]
            a null                         | {"resourceType":"Patient","name":[{"family":null}]}                 | Patient.name[0].family
            an empty string                | {"resourceType":"Patient","name":[{"family":""}]}                   | Patient.name[0].family
            a JSON comment                 | {"resourceType":"Patient","fhir_comments":["hello"]}                | Patient.fhir_comments
            a value beside a primitive     | {"resourceType":"Patient","gender":"male","_gender":{"value":"x"}}  | Patient.gender
            misaligned primitive extras    | {"resourceType":"Patient","name":[{"given":["a"],"_given":[{"id":"g"},null]}]} | Patient.name[0].given
            a null among primitive extras  | {"resourceType":"Patient","name":[{"given":[null],"_given":[null]}]} | Patient.name[0].given[0]
            a string for a boolean, nested | {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","active":"true"}}]} | Bundle.entry[0].resource.active
            a number for a string, chosen  | {"resourceType":"Observation","status":"final","code":{"text":"x"},"valueString":1} | Observation.value.ofType(string)
            """)
    void refusesJsonThatBreaksTheFhirJsonFormat(String what, String json, String expression) {
        assertThatThrownBy(() -> parser.parse(json, FhirFormat.JSON))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(expressions(e.outcome().getIssue())).contains(expression);
                });
    }

    @Test
    void refusesARepeatedJsonProperty() {
        assertThatThrownBy(() -> parser.parse("{\"resourceType\":\"Patient\",\"active\":true,\"active\":false}",
                FhirFormat.JSON))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void readsExtensionsOnAListOfPrimitivesThatHasNoValues() {
        String json = """
                {"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/1"},
                 "_category":[{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                                             "valueCode":"unknown"}]}]}""";

        AllergyIntolerance allergy = (AllergyIntolerance) parser.parse(json, FhirFormat.JSON);

        assertThat(allergy.getCategory()).singleElement().satisfies(category -> {
            assertThat(category.getValue()).isNull();
            assertThat(category.getExtension()).hasSize(1);
        });
    }

    @Test
    void acceptsAByteOrderMark() {
        Resource resource = parser.parse("\uFEFF{\"resourceType\":\"Patient\",\"active\":true}", FhirFormat.JSON);

        assertThat(((Patient) resource).getActive()).isTrue();
    }

    @Test
    void refusesHtmlEntitiesInJsonNarrative() {
        String json = "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":"
                + "\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">CPT&reg;</div>\"}}";

        assertThatThrownBy(() -> parser.parse(json, FhirFormat.JSON))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.getMessage()).contains("&reg;"));
    }

    @Test
    void refusesUndeclaredEntitiesInXml() {
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/>"
                + "<div xmlns=\"http://www.w3.org/1999/xhtml\">CPT&reg;</div></text></Patient>";

        assertThatThrownBy(() -> parser.parse(xml, FhirFormat.XML))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void keepsEachBundleEntrysOwnIdRatherThanItsFullUrl() {
        String json = """
                {"resourceType":"Bundle","type":"collection","entry":[
                  {"fullUrl":"urn:uuid:2b3c0f86-8e3a-4c1f-9d5e-2d0c5f0a9e11","resource":{"resourceType":"Patient"}},
                  {"fullUrl":"http://example.org/fhir/Patient/p2","resource":{"resourceType":"Patient","id":"p2"}}]}""";

        Bundle bundle = (Bundle) parser.parse(json, FhirFormat.JSON);

        assertThat(bundle.getEntry().get(0).getResource().getIdElement().getIdPart()).isNull();
        assertThat(bundle.getEntry().get(1).getResource().getIdElement().getIdPart()).isEqualTo("p2");
    }

    private static List<String> expressions(List<OperationOutcomeIssueComponent> issues) {
        return issues.stream().flatMap(i -> i.getExpression().stream()).map(StringType::getValue).toList();
    }
}
