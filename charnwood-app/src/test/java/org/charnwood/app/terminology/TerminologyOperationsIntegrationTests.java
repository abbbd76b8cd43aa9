package org.charnwood.app.terminology;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FHIR terminology operations and the typeahead endpoint over the bundled samples: the synthetic SNOMED CT
 * hierarchy (Clinical finding 404684003 → Synthetic disease → organ disorders → types), the demo code list, and
 * the dm+d extract.
 */
class TerminologyOperationsIntegrationTests extends CharnwoodIntegrationTest {

    static final String SCT = "http://snomed.info/sct";
    static final String DISEASE = "10069999999100";
    static final String HEART_DISORDER = "10079999999108";
    static final String HEART_ALPHA = "10109999999103";
    static final String LUNG_DISORDER = "10089999999105";
    static final String CARDIOPULMONARY = "10189999999109";
    static final String HEART_DELTA_INACTIVE = "10289999999102";
    static final String DUPLICATE_LUNG_INACTIVE = "10299999999100";

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String property(Parameters p, String code) {
        return p.getParameter().stream().filter(x -> x.getName().equals("property"))
                .filter(x -> x.getPart().get(0).getValue().primitiveValue().equals(code))
                .map(x -> x.getPart().get(1).getValue().primitiveValue()).findFirst().orElse(null);
    }

    static List<String> properties(Parameters p, String code) {
        return p.getParameter().stream().filter(x -> x.getName().equals("property"))
                .filter(x -> x.getPart().get(0).getValue().primitiveValue().equals(code))
                .map(x -> x.getPart().get(1).getValue().primitiveValue()).toList();
    }

    static String value(Parameters p, String name) {
        return p.getParameter().stream().filter(x -> x.getName().equals(name)).findFirst()
                .map(x -> x.getValue().primitiveValue()).orElse(null);
    }

    static String diagnostics(Response r) {
        return r.resource(OperationOutcome.class).getIssueFirstRep().getDiagnostics();
    }

    // --- $lookup -------------------------------------------------------------------------------------

    @Test
    void looksUpASnomedConceptWithDesignationsAndProperties() {
        Response r = http.get("/fhir/CodeSystem/$lookup?system=" + enc(SCT) + "&code=" + HEART_DISORDER);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Parameters p = r.resource(Parameters.class);
        assertThat(value(p, "name")).isEqualTo("SNOMED CT");
        assertThat(value(p, "display")).isNotBlank();
        assertThat(p.getParameter().stream().filter(x -> x.getName().equals("designation")).count()).isGreaterThanOrEqualTo(2);
        assertThat(properties(p, "parent")).containsExactly(DISEASE);
        assertThat(properties(p, "child")).contains(HEART_ALPHA, CARDIOPULMONARY);
        assertThat(property(p, "inactive")).isEqualTo("false");
        assertThat(property(p, "sufficientlyDefined")).isIn("true", "false");
        assertThat(property(p, "moduleId")).isEqualTo("10019999999102");
        assertThat(property(p, "effectiveTime")).isEqualTo("20250101");
    }

    @Test
    void looksUpByPostWithAParametersBodyAndOnlyTheAskedProperties() {
        Parameters in = new Parameters();
        in.addParameter().setName("coding").setValue(new Coding(SCT, CARDIOPULMONARY, null));
        in.addParameter().setName("property").setValue(new StringType("parent"));
        Response r = http.postJson("/fhir/CodeSystem/$lookup", in);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Parameters p = r.resource(Parameters.class);
        assertThat(properties(p, "parent")).containsExactlyInAnyOrder(HEART_DISORDER, LUNG_DISORDER);
        assertThat(property(p, "inactive")).isNull();
    }

    @Test
    void looksUpADemoCodeOfThePartialRelease() {
        Parameters p = http.get("/fhir/CodeSystem/$lookup?system=" + enc(SCT) + "&code=195967001")
                .resource(Parameters.class);
        assertThat(value(p, "display")).isEqualTo("Asthma");
    }

    @Test
    void looksUpADmdProductAndAHistoricCode() {
        Response r = http.get("/fhir/CodeSystem/$lookup?system=" + enc("https://dmd.nhs.uk") + "&code=318135008");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Parameters p = r.resource(Parameters.class);
        assertThat(value(p, "name")).isEqualTo("dm+d");
        assertThat(property(p, "level")).isEqualTo("VMP");
        Parameters old = http.get("/fhir/CodeSystem/$lookup?system=" + enc("https://dmd.nhs.uk") + "&code=354303007")
                .resource(Parameters.class);
        assertThat(property(old, "replacedBy")).isEqualTo("34186711000001102");
    }

    @Test
    void anUnknownCodeIsNotFound() {
        Response r = http.get("/fhir/CodeSystem/$lookup?system=" + enc(SCT) + "&code=10339999999103");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("CHARNWOOD-3151");
    }

    @Test
    void refusesUnknownSystemsBadCodesAndMissingParameters() {
        Response system = http.get("/fhir/CodeSystem/$lookup?system=http://loinc.org&code=1234-5");
        assertThat(system.status()).isEqualTo(400);
        assertThat(system.body()).contains("CHARNWOOD-3160");
        Response bad = http.get("/fhir/CodeSystem/$lookup?system=" + enc(SCT) + "&code=abc");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("CHARNWOOD-3152");
        Response missing = http.get("/fhir/CodeSystem/$lookup?system=" + enc(SCT));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("CHARNWOOD-3164");
        Response notParameters = http.post("/fhir/CodeSystem/$lookup", "{\"resourceType\":\"Patient\"}",
                "application/fhir+json");
        assertThat(notParameters.status()).isEqualTo(400);
    }

    // --- $validate-code ------------------------------------------------------------------------------

    @Test
    void validatesCodesInTheCodeSystem() {
        Parameters ok = http.get("/fhir/CodeSystem/$validate-code?url=" + enc(SCT) + "&code=" + HEART_ALPHA)
                .resource(Parameters.class);
        assertThat(value(ok, "result")).isEqualTo("true");
        Parameters inactive = http.get("/fhir/CodeSystem/$validate-code?url=" + enc(SCT) + "&code="
                + HEART_DELTA_INACTIVE).resource(Parameters.class);
        assertThat(value(inactive, "result")).isEqualTo("false");
        assertThat(value(inactive, "message")).contains("inactive").contains(HEART_ALPHA);
        Parameters wrongDisplay = http.get("/fhir/CodeSystem/$validate-code?url=" + enc(SCT) + "&code=195967001"
                + "&display=Eczema").resource(Parameters.class);
        assertThat(value(wrongDisplay, "result")).isEqualTo("false");
        Parameters historic = http.get("/fhir/CodeSystem/$validate-code?url=" + enc("https://dmd.nhs.uk")
                + "&code=354303007").resource(Parameters.class);
        assertThat(value(historic, "result")).isEqualTo("true");
        assertThat(value(historic, "message")).contains("previous code of VTM 34186711000001102");
        Parameters unknown = http.get("/fhir/CodeSystem/$validate-code?url=" + enc("https://dmd.nhs.uk")
                + "&code=" + HEART_ALPHA).resource(Parameters.class);
        assertThat(value(unknown, "result")).isEqualTo("false");
        assertThat(value(unknown, "message")).contains("not a dm+d product");
    }

    @Test
    void validatesCodesInImplicitAndEclValueSets() {
        String isa = enc(SCT + "?fhir_vs=isa/" + HEART_DISORDER);
        assertThat(value(http.get("/fhir/ValueSet/$validate-code?url=" + isa + "&system=" + enc(SCT) + "&code="
                + CARDIOPULMONARY).resource(Parameters.class), "result")).isEqualTo("true");
        assertThat(value(http.get("/fhir/ValueSet/$validate-code?url=" + isa + "&system=" + enc(SCT) + "&code="
                + LUNG_DISORDER).resource(Parameters.class), "result")).isEqualTo("false");
        Parameters in = new Parameters();
        in.addParameter().setName("url").setValue(new UriType(SCT + "?fhir_vs=ecl/" + enc("<< " + DISEASE + " MINUS << " + HEART_DISORDER)));
        in.addParameter().setName("coding").setValue(new Coding(SCT, LUNG_DISORDER, null));
        Response r = http.postJson("/fhir/ValueSet/$validate-code", in);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(value(r.resource(Parameters.class), "result")).isEqualTo("true");
    }

    // --- $expand -------------------------------------------------------------------------------------

    @Test
    void expandsAnIsaValueSetWithTotalOffsetAndParameters() {
        Response r = http.get("/fhir/ValueSet/$expand?url=" + enc(SCT + "?fhir_vs=isa/" + HEART_DISORDER));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        ValueSet vs = r.resource(ValueSet.class);
        assertThat(vs.getExpansion().getTotal()).isEqualTo(5);
        assertThat(vs.getExpansion().getContains()).extracting(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .contains(HEART_DISORDER, HEART_ALPHA, CARDIOPULMONARY);
        assertThat(vs.getExpansion().getParameter()).extracting(ValueSet.ValueSetExpansionParameterComponent::getName)
                .contains("count", "offset", "activeOnly");

        ValueSet page = http.get("/fhir/ValueSet/$expand?url=" + enc(SCT + "?fhir_vs=isa/" + HEART_DISORDER)
                + "&count=2&offset=4").resource(ValueSet.class);
        assertThat(page.getExpansion().getTotal()).isEqualTo(5);
        assertThat(page.getExpansion().getOffset()).isEqualTo(4);
        assertThat(page.getExpansion().getContains()).hasSize(1);
    }

    @Test
    void expandsEclAndRefsetValueSetsAndFiltersLikeTypeahead() {
        ValueSet findings = http.get("/fhir/ValueSet/$expand?url=" + enc(SCT + "?fhir_vs=ecl/<< 404684003"))
                .resource(ValueSet.class);
        assertThat(findings.getExpansion().getTotal()).isEqualTo(19);
        ValueSet refset = http.get("/fhir/ValueSet/$expand?url=" + enc(SCT + "?fhir_vs=refset/10319999999104"))
                .resource(ValueSet.class);
        assertThat(refset.getExpansion().getTotal()).isEqualTo(16);
        ValueSet filtered = http.get("/fhir/ValueSet/$expand?url=" + enc(SCT + "?fhir_vs=ecl/<< 404684003")
                + "&filter=" + enc("synth heart alpha") + "&includeDesignations=true").resource(ValueSet.class);
        assertThat(filtered.getExpansion().getContainsFirstRep().getCode()).isEqualTo(HEART_ALPHA);
        assertThat(filtered.getExpansion().getContainsFirstRep().getDesignation()).isNotEmpty();
        ValueSet all = http.get("/fhir/ValueSet/$expand?url=" + enc(SCT + "?fhir_vs") + "&filter=asthma")
                .resource(ValueSet.class);
        assertThat(all.getExpansion().getContains()).extracting(ValueSet.ValueSetExpansionContainsComponent::getCode)
                .contains("195967001");
    }

    @Test
    void malformedEclIsABadRequestNamingThePosition() {
        Response r = http.get("/fhir/ValueSet/$expand?url=" + enc(SCT + "?fhir_vs=ecl/<< 404684003 AND ("));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("CHARNWOOD-3162");
        assertThat(diagnostics(r)).contains("column").contains("offset");
    }

    @Test
    void expandNeedsAKnownValueSet() {
        assertThat(http.get("/fhir/ValueSet/$expand").status()).isEqualTo(400);
        Response unknown = http.get("/fhir/ValueSet/$expand?url=" + enc("https://example.org/ValueSet/x"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("CHARNWOOD-3161");
        assertThat(http.get("/fhir/ValueSet/$expand?url=" + enc(SCT + "?fhir_vs") + "&count=x").status())
                .isEqualTo(400);
    }

    // --- $subsumes and $translate ----------------------------------------------------------------------

    @Test
    void answersSubsumption() {
        assertThat(subsumes(DISEASE, HEART_ALPHA)).isEqualTo("subsumes");
        assertThat(subsumes(HEART_ALPHA, DISEASE)).isEqualTo("subsumed-by");
        assertThat(subsumes(HEART_ALPHA, HEART_ALPHA)).isEqualTo("equivalent");
        assertThat(subsumes(HEART_ALPHA, LUNG_DISORDER)).isEqualTo("not-subsumed");
        Response unknown = http.get("/fhir/CodeSystem/$subsumes?system=" + enc(SCT) + "&codeA=10339999999103&codeB="
                + DISEASE);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(http.get("/fhir/CodeSystem/$subsumes?system=" + enc(SCT) + "&codeA=" + DISEASE).status())
                .isEqualTo(400);
    }

    private String subsumes(String a, String b) {
        Response r = http.get("/fhir/CodeSystem/$subsumes?system=" + enc(SCT) + "&codeA=" + a + "&codeB=" + b);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return value(r.resource(Parameters.class), "outcome");
    }

    @Test
    void translatesInactiveConceptsAlongHistoricalAssociations() {
        Response r = http.get("/fhir/ConceptMap/$translate?system=" + enc(SCT) + "&code=" + HEART_DELTA_INACTIVE);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Parameters p = r.resource(Parameters.class);
        assertThat(value(p, "result")).isEqualTo("true");
        Parameters.ParametersParameterComponent match = p.getParameter().stream()
                .filter(x -> x.getName().equals("match")).findFirst().orElseThrow();
        assertThat(match.getPart().get(0).getValue().primitiveValue()).isEqualTo("equivalent");
        assertThat(((Coding) match.getPart().get(1).getValue()).getCode()).isEqualTo(HEART_ALPHA);
        Parameters same = http.get("/fhir/ConceptMap/$translate?system=" + enc(SCT) + "&code="
                + DUPLICATE_LUNG_INACTIVE).resource(Parameters.class);
        assertThat(same.getParameter().stream().filter(x -> x.getName().equals("match")).findFirst().orElseThrow()
                .getPart().get(0).getValue().primitiveValue()).isEqualTo("equal");
        Parameters none = http.get("/fhir/ConceptMap/$translate?system=" + enc(SCT) + "&code=" + HEART_ALPHA
                + "&targetsystem=" + enc("http://read.info/ctv3")).resource(Parameters.class);
        assertThat(value(none, "result")).isEqualTo("false");
        assertThat(http.get("/fhir/ConceptMap/$translate?system=http://loinc.org&code=1").status()).isEqualTo(400);
    }

    @Test
    void theCapabilityStatementListsTheTerminologyOperations() {
        CapabilityStatement cs = http.get("/fhir/metadata").resource(CapabilityStatement.class);
        List<String> operations = cs.getRestFirstRep().getResource().stream()
                .filter(r -> List.of("CodeSystem", "ValueSet", "ConceptMap").contains(r.getType()))
                .flatMap(r -> r.getOperation().stream().map(o -> r.getType() + "/$" + o.getName())).toList();
        assertThat(operations).contains("CodeSystem/$lookup", "CodeSystem/$validate-code", "CodeSystem/$subsumes",
                "ValueSet/$expand", "ValueSet/$validate-code", "ConceptMap/$translate");
    }

    @Test
    void metadataInTerminologyModeDescribesTheTerminologyService() {
        var caps = http.get("/fhir/metadata?mode=terminology")
                .resource(org.hl7.fhir.r4.model.TerminologyCapabilities.class);
        assertThat(caps.getCodeSystem()).extracting(c -> c.getUri()).contains("http://snomed.info/sct");
        assertThat(caps.getCodeSystem().getFirst().getVersionFirstRep().getCode()).isNotBlank();
        assertThat(caps.getExpansion().getPaging()).isTrue();
        assertThat(http.get("/fhir/metadata?mode=normal").resource(CapabilityStatement.class).getRest()).isNotEmpty();
        FhirHttp.Response unknown = http.get("/fhir/metadata?mode=everything");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("mode is full, normal or terminology");
    }

    // --- typeahead endpoint --------------------------------------------------------------------------

    @Test
    void theTypeaheadEndpointAnswersJsonWithinAnEclConstraint() {
        FhirHttp.Response r = http.get("/api/terminology/search?q=" + enc("synth heart") + "&ecl="
                + enc("<< 404684003") + "&limit=3");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("[").contains("\"code\":\"" + HEART_DISORDER + "\"").contains("\"display\"");
        assertThat(r.body()).doesNotContain("10039999999106"); // the heart-like organ structure is not a finding
        FhirHttp.Response demo = http.get("/api/terminology/search?q=" + enc("type 2 diab"));
        assertThat(demo.body()).contains("44054006");
        FhirHttp.Response badEcl = http.get("/api/terminology/search?q=x&ecl=" + enc("<< ("));
        assertThat(badEcl.status()).isEqualTo(400);
        assertThat(badEcl.body()).contains("CHARNWOOD-3162");
        assertThat(http.get("/api/terminology/search").status()).isEqualTo(400);
    }
}
