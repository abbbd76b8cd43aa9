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

    @Test
    void compositesOfOtherTypesMatchTheirPartsTogether() {
        org.hl7.fhir.r4.model.Group group = new org.hl7.fhir.r4.model.Group()
                .setType(org.hl7.fhir.r4.model.Group.GroupType.PERSON).setActual(true);
        group.addCharacteristic().setCode(concept(SNOMED, "263495000")).setValue(concept(SNOMED, "248152002"))
                .setExclude(false);
        group.addCharacteristic().setCode(concept(SNOMED, "424144002")).setValue(concept(SNOMED, "41847000"))
                .setExclude(false);
        String womenOver65 = fx.create(group);
        assertThat(fx.ids("Group", "characteristic-value=" + SNOMED + "|263495000$" + SNOMED + "|248152002"))
                .containsExactly(womenOver65);
        assertThat(fx.ids("Group", "characteristic-value=263495000$41847000")).as("parts of different characteristics")
                .isEmpty();

        org.hl7.fhir.r4.model.ValueSet valueSet = new org.hl7.fhir.r4.model.ValueSet()
                .setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE);
        valueSet.addUseContext().setCode(new Coding("http://terminology.hl7.org/CodeSystem/usage-context-type",
                "focus", null)).setValue(concept(SNOMED, "394659003"));
        String forCommunityCare = fx.create(valueSet);
        assertThat(fx.ids("ValueSet", "context-type-value=focus$" + SNOMED + "|394659003"))
                .containsExactly(forCommunityCare);
        assertThat(fx.ids("ValueSet", "context-type-value=venue$394659003")).isEmpty();

        org.hl7.fhir.r4.model.DocumentReference replaced = new org.hl7.fhir.r4.model.DocumentReference()
                .setStatus(org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT);
        replaced.addContent().getAttachment().setUrl("https://docs.example/1");
        String original = fx.create(replaced);
        org.hl7.fhir.r4.model.DocumentReference replacing = new org.hl7.fhir.r4.model.DocumentReference()
                .setStatus(org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT);
        replacing.addContent().getAttachment().setUrl("https://docs.example/2");
        replacing.addRelatesTo().setCode(org.hl7.fhir.r4.model.DocumentReference.DocumentRelationshipType.REPLACES)
                .setTarget(new org.hl7.fhir.r4.model.Reference("DocumentReference/" + original));
        String newer = fx.create(replacing);
        assertThat(fx.ids("DocumentReference", "relationship=DocumentReference/" + original + "$replaces"))
                .containsExactly(newer);
        assertThat(fx.ids("DocumentReference", "relationship=DocumentReference/" + original + "$appends")).isEmpty();
    }
}
