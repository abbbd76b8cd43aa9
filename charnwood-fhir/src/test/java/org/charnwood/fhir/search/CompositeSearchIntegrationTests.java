package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompositeSearchIntegrationTests {

    private static final String LOINC = "http://loinc.org";
    private static final String SNOMED = "http://snomed.info/sct";
    private static final String UCUM = "http://unitsofmeasure.org";

    private SearchFixture fx;
    private String systolic;
    private String bloodPressure;
    private String smoking;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        Observation sys = observation("8480-6");
        sys.setValue(mmHg(150));
        systolic = fx.create(sys);

        Observation bp = observation("85354-9");
        bp.addComponent().setCode(concept(LOINC, "8480-6")).setValue(mmHg(120));
        bp.addComponent().setCode(concept(LOINC, "8462-4")).setValue(mmHg(80));
        bloodPressure = fx.create(bp);

        Observation smoker = observation("72166-2");
        smoker.setValue(concept(SNOMED, "77176002"));
        smoking = fx.create(smoker);
    }

    private static Observation observation(String loinc) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.setCode(concept(LOINC, loinc));
        return obs;
    }

    private static CodeableConcept concept(String system, String code) {
        return new CodeableConcept(new Coding(system, code, null));
    }

    private static Quantity mmHg(int value) {
        return new Quantity().setValue(value).setSystem(UCUM).setCode("mm[Hg]").setUnit("mmHg");
    }

    @Test
    void codeValueQuantityMatchesCodeAndValueTogether() {
        assertThat(fx.ids("Observation", "code-value-quantity=" + LOINC + "|8480-6$gt140")).containsExactly(systolic);
        assertThat(fx.ids("Observation", "code-value-quantity=8480-6$lt140")).isEmpty();
        assertThat(fx.ids("Observation", "code-value-quantity=8480-6$150|" + UCUM + "|mm[Hg]")).containsExactly(systolic);
        assertThat(fx.ids("Observation", "code-value-quantity=8462-4$gt140")).isEmpty();
    }

    @Test
    void componentValuesMustComeFromTheSameComponent() {
        assertThat(fx.ids("Observation", "component-code-value-quantity=8480-6$120")).containsExactly(bloodPressure);
        assertThat(fx.ids("Observation", "component-code-value-quantity=8462-4$80")).containsExactly(bloodPressure);
        assertThat(fx.ids("Observation", "component-code-value-quantity=8480-6$80")).isEmpty();
    }

    @Test
    void comboSearchesBothTheObservationAndItsComponents() {
        assertThat(fx.ids("Observation", "combo-code-value-quantity=8480-6$gt100"))
                .containsExactlyInAnyOrder(systolic, bloodPressure);
        assertThat(fx.ids("Observation", "combo-code-value-quantity=8480-6$gt130")).containsExactly(systolic);
    }

    @Test
    void codeValueConceptMatchesTwoTokens() {
        assertThat(fx.ids("Observation", "code-value-concept=" + LOINC + "|72166-2$" + SNOMED + "|77176002"))
                .containsExactly(smoking);
        assertThat(fx.ids("Observation", "code-value-concept=72166-2$8517006")).isEmpty();
        assertThat(fx.ids("Observation", "code-value-concept=72166-2$8517006,72166-2$77176002"))
                .containsExactly(smoking);
    }

    @Test
    void missingWorksOnComposites() {
        assertThat(fx.ids("Observation", "code-value-concept:missing=false")).containsExactly(smoking);
    }

    @Test
    void wrongNumberOfPartsIsRefused() {
        SearchFixture.assertRefused(fx.refusal("Observation", "code-value-quantity=8480-6"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "code-value-quantity", "$");
        SearchFixture.assertRefused(fx.refusal("Observation", "code-value-quantity=8480-6$abc"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "abc");
    }
}
