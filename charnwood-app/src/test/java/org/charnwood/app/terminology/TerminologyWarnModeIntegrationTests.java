package org.charnwood.app.terminology;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code charnwood.terminology.binding=warn} an inactive code is accepted with a warning; with a small ECL
 * result limit, constraints over it are refused as too costly.
 */
@TestPropertySource(properties = {"charnwood.terminology.binding=warn",
        "charnwood.terminology.ecl-max-result-size=5"})
class TerminologyWarnModeIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void acceptsAnInactiveConceptWithAWarning() {
        Response p = http.postJson("/fhir/Patient", new Patient().setActive(true));
        String patient = "Patient/" + p.resource(Patient.class).getIdElement().getIdPart();
        Response r = http.postJson("/fhir/Condition", TerminologyBindingIntegrationTests.condition(patient,
                TerminologyBindingIntegrationTests.SCT, TerminologyOperationsIntegrationTests.HEART_DELTA_INACTIVE),
                "Prefer", "return=OperationOutcome");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(TerminologyBindingIntegrationTests.issue(r, "CHARNWOOD-3150").getSeverity())
                .isEqualTo(IssueSeverity.WARNING);
    }

    @Test
    void refusesAnExpansionOverTheCostLimit() {
        Response r = http.get("/fhir/ValueSet/$expand?url=" + TerminologyOperationsIntegrationTests.enc(
                "http://snomed.info/sct?fhir_vs=ecl/<< 404684003"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("CHARNWOOD-3163").contains("too costly");
        Response typeahead = http.get("/api/terminology/search?q=synth&ecl="
                + TerminologyOperationsIntegrationTests.enc("<< 404684003"));
        assertThat(typeahead.status()).isEqualTo(422);
        Response small = http.get("/fhir/ValueSet/$expand?url=" + TerminologyOperationsIntegrationTests.enc(
                "http://snomed.info/sct?fhir_vs=isa/10079999999108"));
        assertThat(small.status()).isEqualTo(200);
    }
}
