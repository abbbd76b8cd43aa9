package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class QuantityNumberUriSearchIntegrationTests {

    private static final String UCUM = "http://unitsofmeasure.org";

    private SearchFixture fx;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
    }

    private String weight(String value, String code, String unit) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.setCode(new CodeableConcept(new Coding("http://loinc.org", "29463-7", "Body weight")));
        obs.setValue(new Quantity().setValueElement(new DecimalType(value)).setSystem(UCUM).setCode(code).setUnit(unit));
        return fx.create(obs);
    }

    @Test
    void quantityEqualityHonoursTheSearchPrecision() {
        String w72 = weight("72.4", "kg", "kilograms");
        String w80 = weight("80", "kg", "kg");

        assertThat(fx.ids("Observation", "value-quantity=72")).as("72 means [71.5, 72.5)").containsExactly(w72);
        assertThat(fx.ids("Observation", "value-quantity=72.0")).isEmpty();
        assertThat(fx.ids("Observation", "value-quantity=72.4")).containsExactly(w72);
        assertThat(fx.ids("Observation", "value-quantity=7e1")).containsExactly(w72);
        assertThat(fx.ids("Observation", "value-quantity=80.0")).containsExactly(w80);
        assertThat(fx.ids("Observation", "value-quantity=ne80")).containsExactly(w72);
    }

    @Test
    void quantityComparisonsAndUnits() {
        String w72 = weight("72.4", "kg", "kilograms");
        String lb = weight("160", "[lb_av]", "lb");

        assertThat(fx.ids("Observation", "value-quantity=gt72.4")).containsExactly(lb);
        assertThat(fx.ids("Observation", "value-quantity=ge72.4")).containsExactlyInAnyOrder(w72, lb);
        assertThat(fx.ids("Observation", "value-quantity=lt100|" + UCUM + "|kg")).containsExactly(w72);
        assertThat(fx.ids("Observation", "value-quantity=gt1|" + UCUM + "|[lb_av]")).containsExactly(lb);
        assertThat(fx.ids("Observation", "value-quantity=le200||lb")).as("unit text").containsExactly(lb);
        assertThat(fx.ids("Observation", "value-quantity=le200||kg")).as("code").containsExactly(w72);
        assertThat(fx.ids("Observation", "value-quantity=ap70")).containsExactly(w72);
        assertThat(fx.ids("Observation", "value-quantity=sa100")).containsExactly(lb);
        assertThat(fx.ids("Observation", "value-quantity=eb100")).containsExactly(w72);
    }

    @Test
    void numbersHonourImplicitPrecision() {
        String r82 = risk("0.82");
        String r5 = risk("0.5");

        assertThat(fx.ids("RiskAssessment", "probability=0.8")).containsExactly(r82);
        assertThat(fx.ids("RiskAssessment", "probability=0.80")).isEmpty();
        assertThat(fx.ids("RiskAssessment", "probability=0.82")).containsExactly(r82);
        assertThat(fx.ids("RiskAssessment", "probability=gt0.5")).containsExactly(r82);
        assertThat(fx.ids("RiskAssessment", "probability=ge0.5")).containsExactlyInAnyOrder(r82, r5);
        assertThat(fx.ids("RiskAssessment", "probability=lt0.82")).containsExactly(r5);
        assertThat(fx.ids("RiskAssessment", "probability=ap0.8")).containsExactly(r82);
    }

    private String risk(String probability) {
        RiskAssessment ra = new RiskAssessment();
        ra.setStatus(RiskAssessment.RiskAssessmentStatus.FINAL);
        ra.addPrediction().setProbability(new DecimalType(new BigDecimal(probability)));
        return fx.create(ra);
    }

    @Test
    void malformedNumbersAndQuantitiesAreRefused() {
        SearchFixture.assertRefused(fx.refusal("RiskAssessment", "probability=high"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "probability", "high");
        SearchFixture.assertRefused(fx.refusal("Observation", "value-quantity=5|kg"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "value-quantity");
        SearchFixture.assertRefused(fx.refusal("Observation", "value-quantity:exact=5"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "value-quantity", ":exact");
    }

    @Test
    void urisMatchExactlyBelowAndAbove() {
        String vs = valueSet("http://acme.org/fhir/ValueSet/ward-codes");
        String other = valueSet("http://acme.org/terminology/ValueSet/other");

        assertThat(fx.ids("ValueSet", "url=http://acme.org/fhir/ValueSet/ward-codes")).containsExactly(vs);
        assertThat(fx.ids("ValueSet", "url=http://acme.org/fhir/ValueSet")).isEmpty();
        assertThat(fx.ids("ValueSet", "url:below=http://acme.org/fhir/")).containsExactly(vs);
        assertThat(fx.ids("ValueSet", "url:below=http://acme.org")).containsExactlyInAnyOrder(vs, other);
        assertThat(fx.ids("ValueSet", "url:above=http://acme.org/terminology/ValueSet/other/_history/3"))
                .containsExactly(other);
    }

    private String valueSet(String url) {
        ValueSet vs = new ValueSet();
        vs.setUrl(url);
        vs.setStatus(PublicationStatus.ACTIVE);
        return fx.create(vs);
    }

    @Test
    void profileTagAndSecurityAreSearchableOnEveryType() {
        Patient p = new Patient();
        p.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient");
        p.getMeta().addTag(new Coding("https://charnwood.nhs.example/tags", "community", null));
        p.getMeta().addSecurity(new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null));
        String id = fx.create(p);
        fx.create(new Patient());

        assertThat(fx.ids("Patient", "_profile=https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"))
                .containsExactly(id);
        assertThat(fx.ids("Patient", "_tag=https://charnwood.nhs.example/tags|community")).containsExactly(id);
        assertThat(fx.ids("Patient", "_security=R")).containsExactly(id);
        assertThat(fx.ids("Patient", "_security:not=R")).hasSize(1).doesNotContain(id);
    }
}
