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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            text for a value attribute  | <Patient xmlns="http://hl7.org/fhir"><gender>male</gender></Patient>                       | Patient.gender | value attribute
            text in a complex element   | <Patient xmlns="http://hl7.org/fhir"><name><family>Smith</family></name></Patient>        | Patient.name[0].family | value attribute
            no namespace                | <Patient><name><family value="NoNs"/></name></Patient>                                     | Patient | http://hl7.org/fhir
            another namespace           | <Patient xmlns="urn:other"><name><family value="Xmlns"/></name></Patient>                  | Patient | urn:other
            a child in no namespace     | <Patient xmlns="http://hl7.org/fhir"><name xmlns=""><family value="x"/></name></Patient>   | Patient.name | namespace
            elements out of order       | <Patient xmlns="http://hl7.org/fhir"><gender value="male"/><name><family value="O"/></name></Patient> | Patient.name | 'name' comes before 'gender'
            a single element repeated   | <Patient xmlns="http://hl7.org/fhir"><gender value="male"/><gender value="male"/></Patient> | Patient.gender | only appear once
            an unknown element          | <Patient xmlns="http://hl7.org/fhir"><name><foo value="1"/></name></Patient>                | Patient.name[0].foo | Unknown element 'foo'
            narrative outside XHTML     | <Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/><div>plain</div></text></Patient> | Patient.text.div | http://www.w3.org/1999/xhtml
            in a bundle entry           | <Bundle xmlns="http://hl7.org/fhir"><type value="batch"/><entry><resource><Patient><gender>male</gender></Patient></resource></entry></Bundle> | Bundle.entry[0].resource.gender | value attribute
            """)
    void refusesXmlThatBreaksTheFhirXmlFormat(String what, String xml, String expression, String message) {
        assertThatThrownBy(() -> parser.parse(xml, FhirFormat.XML))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(expressions(e.outcome().getIssue())).contains(expression);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void readsXmlWithNarrativeContainedResourcesAndExtensions() {
        String xml = """
                <Patient xmlns="http://hl7.org/fhir">
                  <!-- a comment is allowed anywhere -->
                  <text><status value="generated"/><div xmlns="http://www.w3.org/1999/xhtml"><p>Jo <b>Smith</b></p></div></text>
                  <contained><Organization><id value="o1"/><name value="Practice"/></Organization></contained>
                  <extension url="http://example.org/x"><valueString value="y"/></extension>
                  <name><family value="Smith"><extension url="http://example.org/z"><valueCode value="q"/></extension></family>
                    <given value="Jo"/><given value="Ann"/></name>
                  <gender value="female"/>
                  <birthDate value="1990-01-01"/>
                  <managingOrganization><reference value="#o1"/></managingOrganization>
                </Patient>""";

        Patient patient = (Patient) parser.parse(xml, FhirFormat.XML);

        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Jo Ann");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1990-01-01");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a bad date, nested          | {"resourceType":"Patient","name":[{"family":"a"},{"family":"b","period":{"start":"2020-13"}}]} | Patient.name[1].period.start
            an unknown element, nested  | {"resourceType":"Patient","name":[{"family":"x","foo":1}]}                                    | Patient.name[0].foo
            a bad code                  | {"resourceType":"Patient","gender":"bogus"}                                                    | Patient.gender
            a bad code in a bundle      | {"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Basic","code":{"text":"ok"}}},{"resource":{"resourceType":"Patient","gender":"bogus"}}]} | Bundle.entry[1].resource.gender
            a bad comparator            | {"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":1,"comparator":"~"}} | Observation.value.ofType(Quantity).comparator
            """)
    void namesThePathOfAnElementTheParserRefuses(String what, String json, String expression) {
        assertThatThrownBy(() -> parser.parse(json, FhirFormat.JSON))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(expressions(e.outcome().getIssue())).containsExactly(expression);
                });
    }

    @Test
    void setsAsideTheBatchEntriesThatCannotBeReadAndReadsTheRestAsStrictly() {
        String json = """
                {"resourceType":"Bundle","type":"batch","entry":[
                 {"resource":{"resourceType":"Basic","code":{"text":"ok"}},"request":{"method":"POST","url":"Basic"}},
                 {"resource":{"resourceType":"Patient","gender":"bogus"},"request":{"method":"POST","url":"Patient"}},
                 {"resource":{"resourceType":"Patient","name":[{"foo":1}]},"request":{"method":"POST","url":"Patient"}}]}""";
        String xml = """
                <Bundle xmlns="http://hl7.org/fhir"><type value="batch"/>
                 <entry><resource><Patient><gender>male</gender></Patient></resource></entry>
                 <entry><resource><Patient><gender value="bogus"/></Patient></resource></entry>
                 <entry><resource><Basic><code><text value="ok"/></code></Basic></resource></entry></Bundle>""";

        ResourceParser.BundleBody fromJson = parser.parseBundle(json, FhirFormat.JSON);
        ResourceParser.BundleBody fromXml = parser.parseBundle(xml, FhirFormat.XML);

        assertThat(fromJson.refusedEntries()).containsOnlyKeys(1, 2);
        assertThat(expressions(fromJson.refusedEntries().get(1).outcome().getIssue()))
                .containsExactly("Bundle.entry[1].resource.gender");
        assertThat(((Bundle) fromJson.resource()).getEntry().get(0).getResource()).isNotNull();
        assertThat(((Bundle) fromJson.resource()).getEntry().get(1).getResource()).isNull();
        assertThat(fromXml.refusedEntries()).containsOnlyKeys(0, 1);
        assertThat(((Bundle) fromXml.resource()).getEntry().get(2).getResource()).isNotNull();
        assertThatThrownBy(() -> parser.parseBundle(json.replace("batch", "transaction"), FhirFormat.JSON))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void namesThePathOfABadValueInXml() {
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"a\"/></name><name><family value=\"b\"/>"
                + "<period><start value=\"2020-13\"/></period></name></Patient>";

        assertThatThrownBy(() -> parser.parse(xml, FhirFormat.XML))
                .isInstanceOfSatisfying(FhirException.class, e ->
                        assertThat(expressions(e.outcome().getIssue())).containsExactly("Patient.name[1].period.start"));
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
