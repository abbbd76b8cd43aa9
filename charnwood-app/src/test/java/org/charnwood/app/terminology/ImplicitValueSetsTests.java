package org.charnwood.app.terminology;

import org.charnwood.fhir.FhirException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImplicitValueSetsTests {

    @Test
    void readsTheSnomedImplicitValueSetUrlsAsEcl() {
        assertThat(ImplicitValueSets.ecl("http://snomed.info/sct?fhir_vs")).isEqualTo("*");
        assertThat(ImplicitValueSets.ecl("http://snomed.info/sct?fhir_vs=isa/404684003")).isEqualTo("<< 404684003");
        assertThat(ImplicitValueSets.ecl("http://snomed.info/sct?fhir_vs=refset/10319999999104"))
                .isEqualTo("^ 10319999999104");
        assertThat(ImplicitValueSets.ecl("http://snomed.info/sct?fhir_vs=ecl/%3C%3C%20404684003"))
                .isEqualTo("<< 404684003");
        assertThat(ImplicitValueSets.ecl("http://snomed.info/sct/83821000000107/version/20250917?fhir_vs=isa/73211009"))
                .isEqualTo("<< 73211009");
    }

    @Test
    void refusesOtherValueSetsAsUnknown() {
        assertThatThrownBy(() -> ImplicitValueSets.ecl("https://example.org/ValueSet/x"))
                .isInstanceOfSatisfying(FhirException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> ImplicitValueSets.ecl("http://snomed.info/sct?fhir_vs=isa/abc"))
                .isInstanceOf(FhirException.class);
    }

    @Test
    void refusesMalformedEclWithItsPosition() {
        assertThatThrownBy(() -> ImplicitValueSets.parse("<< 404684003 AND ("))
                .isInstanceOfSatisfying(FhirException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.outcome().getIssueFirstRep().getDiagnostics()).contains("column 19");
                });
    }
}
