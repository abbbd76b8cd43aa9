package org.charnwood.app.fhirapi;

import org.charnwood.app.repository.FhirSettings;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is sent is what is stored and read back, and what cannot be stored as sent (a body in another charset, a
 * reference that names no resource, XML with a DTD) is refused naming what to fix, with nothing written.
 */
class WireFidelityIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirSettings settings;

    @Test
    void aBodyDeclaredInAnotherCharsetIsRefusedRatherThanReadAsUtf8() {
        // As ISO-8859-1 these bytes are "Ã©tÃ©"; read as UTF-8 they would be stored as "été".
        Response r = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"été\"}]}",
                "application/fhir+json; charset=ISO-8859-1");

        assertThat(r.status()).as(r.body()).isEqualTo(415);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("ISO-8859-1").contains("UTF-8");
        assertThat(rows("fhir_resource")).isZero();

        Response utf8 = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"été\"}]}",
                "application/fhir+json; charset=UTF-8");
        assertThat(utf8.status()).as(utf8.body()).isEqualTo(201);
        assertThat(utf8.resource(Patient.class).getNameFirstRep().getFamily()).isEqualTo("été");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Patient/%s?version=1", "Patient/%s/", "/Patient/%s", "./Patient/%s", "Patient/%s/extra",
            "Patient/%s/_history", "Patient/%s#note"})
    void aRelativeReferenceOfAnotherShapeThanTypeAndIdIsRefusedNamingIt(String shape) {
        String patient = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
        long before = rows("fhir_resource");
        String reference = shape.formatted(patient);

        Response r = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"%s"}}""".formatted(reference), "application/fhir+json");

        // Stored, it would be neither checked nor indexed: missing from the patient's searches and record.
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        OperationOutcome.OperationOutcomeIssueComponent issue = r.outcome().getIssueFirstRep();
        assertThat(issue.getDiagnostics()).contains(reference);
        assertThat(issue.getExpression()).extracting(Object::toString).contains("Observation.subject.reference");
        assertThat(rows("fhir_resource")).isEqualTo(before);
    }

    @Test
    void referencesOfTheDefinedShapesAreStoredAndFoundBySubject() {
        String patient = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
        for (String reference : new String[] {"Patient/" + patient, "Patient/" + patient + "/_history/1",
                settings.serverBaseUrls().get(0) + "/Patient/" + patient}) {
            Response r = http.post("/fhir/Observation", """
                    {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                     "subject":{"reference":"%s"}}""".formatted(reference), "application/fhir+json");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }

        assertThat(http.get("/fhir/Observation?subject=Patient/" + patient).bundle().getEntry()).hasSize(3);
    }

    @Test
    void xmlWithADocumentTypeDeclarationOrProcessingInstructionIsRefused() {
        for (String xml : new String[] {
                "<?xml version=\"1.0\"?><!DOCTYPE Patient><Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"/></Patient>",
                "<!DOCTYPE Patient [<!ENTITY % p SYSTEM \"http://localhost:1/p.dtd\"> %p;]>"
                        + "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"/></Patient>",
                "<?xml-stylesheet href=\"x.xsl\"?><Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"male\"/></Patient>",
                "<Patient xmlns=\"http://hl7.org/fhir\"><?app hint?><gender value=\"male\"/></Patient>"}) {
            Response r = http.post("/fhir/Patient", xml, "application/fhir+xml");

            assertThat(r.status()).as(xml + " " + r.body()).isEqualTo(422);
            assertThat(r.outcome().getIssueFirstRep().getExpression()).extracting(Object::toString).contains("Patient");
        }
        assertThat(rows("fhir_resource")).isZero();

        // Comments are allowed anywhere, and the XML declaration is not a processing instruction.
        Response commented = http.post("/fhir/Patient", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!-- a note -->"
                + "<Patient xmlns=\"http://hl7.org/fhir\"><!-- inside --><gender value=\"male\"/></Patient>",
                "application/fhir+xml");
        assertThat(commented.status()).as(commented.body()).isEqualTo(201);
    }

    @Test
    void elementsKeepsTheModifierElements() {
        String id = http.post("/fhir/Patient", """
                {"resourceType":"Patient","implicitRules":"http://example.org/rules","active":false,
                 "name":[{"family":"Ashby"}],"gender":"female","deceasedBoolean":true}""", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();

        for (String read : new String[] {"/fhir/Patient/" + id + "?_elements=name",
                "/fhir/Patient/" + id + "?_elements=name&_format=xml"}) {
            Patient trimmed = http.get(read).resource(Patient.class);
            // Without them an inactive, deceased patient's record would read as a current, living one's.
            assertThat(trimmed.hasActive()).as(read).isTrue();
            assertThat(trimmed.getActive()).as(read).isFalse();
            assertThat(trimmed.getDeceasedBooleanType().getValue()).as(read).isTrue();
            assertThat(trimmed.getImplicitRules()).as(read).isEqualTo("http://example.org/rules");
            assertThat(trimmed.hasGender()).as(read).isFalse();
            assertThat(trimmed.getMeta().getTag()).as(read).anyMatch(t -> "SUBSETTED".equals(t.getCode()));
        }
        Patient searched = (Patient) http.get("/fhir/Patient?_id=" + id + "&_elements=name").bundle()
                .getEntryFirstRep().getResource();
        assertThat(searched.hasName()).isTrue();
        assertThat(searched.getActive()).isFalse();
        assertThat(searched.hasGender()).isFalse();
    }

    @Test
    void decimalsKeepThePrecisionAndFormTheyWereSentIn() {
        String[] decimals = {"1.50", "1e3", "2.10e3", "0.000001", "1.0E-20", "12345678901234567890.123456789", "-0.0"};
        StringBuilder extensions = new StringBuilder();
        for (int i = 0; i < decimals.length; i++) {
            extensions.append(i == 0 ? "" : ",").append("{\"url\":\"http://example.org/d").append(i)
                    .append("\",\"valueDecimal\":").append(decimals[i]).append('}');
        }
        Response created = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"extension\":[" + extensions
                + "]}", "application/fhir+json");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.resource(Patient.class).getIdElement().getIdPart();
        Response xml = http.post("/fhir/Observation", """
                <Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="weight"/></code>
                <valueQuantity><value value="7.2e2"/><unit value="kg"/></valueQuantity></Observation>""",
                "application/fhir+xml");
        assertThat(xml.status()).as(xml.body()).isEqualTo(201);
        String observation = xml.resource(org.hl7.fhir.r4.model.Observation.class).getIdElement().getIdPart();

        // 2.10e3 has three significant figures and 2100 four: written out plainly, the precision sent would be lost.
        for (String read : new String[] {"/fhir/Patient/" + id, "/fhir/Patient/" + id + "?_pretty=true",
                "/fhir/Patient/" + id + "/_history", "/fhir/Patient?_id=" + id + "&_summary=data"}) {
            String body = http.get(read).body().replaceAll("\\s", "");
            for (String decimal : decimals) {
                assertThat(body).as(read).contains("\"valueDecimal\":" + decimal + "}");
            }
        }
        String asXml = http.get("/fhir/Patient/" + id + "?_format=xml").body();
        for (String decimal : decimals) {
            assertThat(asXml).contains("<valueDecimal value=\"" + decimal + "\"/>");
        }
        assertThat(http.get("/fhir/Observation/" + observation).body()).contains("\"value\":7.2e2");
        assertThat(http.get("/fhir/Observation/" + observation + "?_format=xml").body())
                .contains("<value value=\"7.2e2\"/>");

        // A patch of another element leaves the decimals as they were.
        Response patched = http.patch("/fhir/Patient/" + id,
                "[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"female\"}]", "application/json-patch+json");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        String afterPatch = http.get("/fhir/Patient/" + id + "?_format=xml").body();
        for (String decimal : decimals) {
            assertThat(afterPatch).contains("<valueDecimal value=\"" + decimal + "\"/>");
        }
    }

    @Test
    void decimalsLongerThanTheIndexHoldsAreStoredAsWrittenAndFoundByTheirRoundedValue() {
        // R4 sets no limit on a decimal's digits (observation-decimal, R4's own example, carries pi to many places).
        String pi = "3.14159265358979323846264338327950288419716939937510";
        String large = "123456789012345678901234567890.5";
        String fine = "2.000000000000000000001e-7000";
        String[] values = {pi, large, fine};
        String[] ids = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            Response created = http.post("/fhir/Observation", """
                    {"resourceType":"Observation","status":"final","code":{"text":"decimal %d"},
                     "valueQuantity":{"value":%s}}""".formatted(i, values[i]), "application/fhir+json");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            ids[i] = created.resource(org.hl7.fhir.r4.model.Observation.class).getIdElement().getIdPart();
            assertThat(http.get("/fhir/Observation/" + ids[i]).body()).contains("\"value\":" + values[i] + "}");
            assertThat(http.get("/fhir/Observation/" + ids[i] + "?_format=xml").body())
                    .contains("<value value=\"" + values[i] + "\"/>");
        }

        assertThat(http.get("/fhir/Observation?value-quantity=3.14159&_id=" + ids[0]).body()).contains(ids[0]);
        assertThat(http.get("/fhir/Observation?value-quantity=gt1e29&_id=" + ids[1]).body()).contains(ids[1]);
        // The index holds it to 6,176 places, so it is found as the 0 it rounds to.
        assertThat(http.get("/fhir/Observation?value-quantity=0&_id=" + ids[2]).body()).contains(ids[2]);
    }

    @Test
    void aDecimalNoJsonReaderCouldTakeBackOrNoMeasurementCouldBeIsRefusedSayingWhy() {
        String[] refused = {"1e2000", "1." + "1".repeat(1200)};
        String[] why = {"more than 1000 digits before the decimal point", "a decimal may have at most 1000"};
        for (int i = 0; i < refused.length; i++) {
            // In XML, which has no limit of its own: stored, the second would be answered in JSON no reader takes.
            Response r = http.post("/fhir/Observation", """
                    <Observation xmlns="http://hl7.org/fhir"><status value="final"/><code><text value="x"/></code>
                    <valueQuantity><value value="%s"/></valueQuantity></Observation>""".formatted(refused[i]),
                    "application/fhir+xml");

            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains(why[i]);
            assertThat(r.outcome().getIssueFirstRep().getExpression()).extracting(e -> e.getValue())
                    .containsExactly("Observation.value.ofType(Quantity).value");
        }
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void aNumberLongerThanTheJsonReaderTakesIsRefusedWithoutNamingItsSettings() {
        Response r = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"x"},
                 "valueQuantity":{"value":1.%s}}""".formatted("1".repeat(1200)), "application/fhir+json");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics())
                .contains("a number in the body is longer than the 1000 characters")
                .doesNotContain("StreamReadConstraints");
        assertThat(rows("fhir_resource")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/fhir+json", "application/fhir+xml"})
    void anIntegerBeyond32BitsIsRefusedInFhirTermsAtItsElement(String format) {
        String body = format.endsWith("json") ? """
                {"resourceType":"Basic","code":{"text":"x"},
                 "extension":[{"url":"http://example.org/x","valueInteger":99999999999}]}""" : """
                <Basic xmlns="http://hl7.org/fhir"><extension url="http://example.org/x">
                <valueInteger value="99999999999"/></extension><code><text value="x"/></code></Basic>""";

        Response r = http.post("/fhir/Basic", body, format);

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        OperationOutcome.OperationOutcomeIssueComponent issue = r.outcome().getIssueFirstRep();
        assertThat(issue.getDiagnostics())
                .contains("99999999999 is out of range")
                .contains("32-bit signed number, from -2147483648 to 2147483647")
                .doesNotContain("java.").doesNotContain("Exception");
        assertThat(issue.getExpression()).extracting(e -> e.getValue())
                .containsExactly("Basic.extension[0].value.ofType(integer)");
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void textThatIsNotJsonIsRefusedEvenWhereHapisReaderWouldTakeIt() {
        // A number with a plus sign is not JSON; read leniently, the rest of the body went unchecked too, and the
        // string "true" became a boolean and the null and the empty list vanished.
        Response r = http.post("/fhir/Patient", """
                {"resourceType":"Patient","active":"true","gender":null,"name":[{"family":"Plus","given":[]}],
                 "extension":[{"url":"http://example.org/x","valueDecimal":+1}]}""", "application/fhir+json");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("could not be parsed");
        assertThat(rows("fhir_resource")).isZero();
    }
}
