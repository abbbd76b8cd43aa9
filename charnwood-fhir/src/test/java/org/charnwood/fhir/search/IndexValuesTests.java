package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IndexValuesTests {

    private final IndexValues values = new IndexValues(SearchFixture.REGISTRY, ServerBase.of("https://our.example/fhir"));

    @Test
    void humanNamesAndAddressesYieldEveryPart() {
        assertThat(IndexValues.strings(new HumanName().setFamily("Smith").addGiven("Ann").addGiven("Marie")
                .addPrefix("Dr").setText("Dr Ann Smith")))
                .containsExactly("Smith", "Ann", "Marie", "Dr", "Dr Ann Smith");
        assertThat(IndexValues.strings(new Address().addLine("1 High St").setCity("Loughborough")
                .setPostalCode("LE11 1AA").setCountry("UK")))
                .containsExactly("1 High St", "Loughborough", "LE11 1AA", "UK");
    }

    @Test
    void codeableConceptsYieldCodingsAndText() {
        CodeableConcept cc = new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate"))
                .setText("Pulse");
        assertThat(IndexValues.tokens(cc)).containsExactly(
                new IndexValues.Token("http://loinc.org", "8867-4", "heart rate", null, null),
                new IndexValues.Token(null, null, "pulse", null, null));
        CodeableConcept same = new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate"))
                .setText("heart rate");
        assertThat(IndexValues.tokens(same)).as("text repeating a display").hasSize(1);
    }

    @Test
    void identifiersCarryTheirTypeForOfType() {
        Identifier id = new Identifier().setSystem("https://trust.example/mrn").setValue("M1")
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", null)));
        assertThat(IndexValues.tokens(id)).containsExactly(new IndexValues.Token("https://trust.example/mrn", "M1",
                null, "http://terminology.hl7.org/CodeSystem/v2-0203", "MR"));
    }

    @Test
    void codesCarryTheSystemOfTheirValueSet() {
        Enumeration<AdministrativeGender> gender = new Patient().setGender(AdministrativeGender.OTHER).getGenderElement();
        assertThat(IndexValues.tokens(gender)).containsExactly(
                new IndexValues.Token("http://hl7.org/fhir/administrative-gender", "other", null, null, null));
    }

    @Test
    void datesOfPeriodsAndTimings() {
        assertThat(IndexValues.dates(new Period().setStartElement(new DateTimeType("2020-01-01"))))
                .extracting(DateRange::loText, DateRange::hiText)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2020-01-01T00:00:00Z", "infinity"));
        Timing timing = new Timing();
        timing.addEventElement().setValueAsString("2021-05-01T10:00:00Z");
        timing.getRepeat().setBounds(new Period().setStartElement(new DateTimeType("2021-05-01"))
                .setEndElement(new DateTimeType("2021-05-31")));
        assertThat(IndexValues.dates(timing)).hasSize(2);
    }

    @Test
    void quantitiesFromRangesAndMoney() {
        assertThat(IndexValues.quantities(new Range().setLow(new Quantity(5).setCode("a"))))
                .containsExactly(new IndexValues.QuantityValue("5", "5", "Infinity", null, "a", null));
        Money money = new Money().setValue(12.5).setCurrency("GBP");
        assertThat(IndexValues.quantities(money)).extracting(IndexValues.QuantityValue::code).containsExactly("GBP");
        assertThat(IndexValues.quantities(new Quantity().setCode("kg"))).as("no value, nothing to find").isEmpty();
    }

    @Test
    void referencesAreLocalOrUrls() {
        assertThat(values.reference(new Reference("Patient/1"))).isEqualTo(ReferenceTarget.local("Patient", "1"));
        assertThat(values.reference(new Reference("https://our.example/fhir/Patient/1")))
                .isEqualTo(ReferenceTarget.local("Patient", "1"));
        assertThat(values.reference(new Reference("https://their.example/fhir/Patient/1")))
                .isEqualTo(new ReferenceTarget("Patient", null, "https://their.example/fhir/Patient/1"));
        assertThat(values.reference(new CanonicalType("https://forms.example/Questionnaire/q|1")))
                .isEqualTo(new ReferenceTarget("Questionnaire", null, "https://forms.example/Questionnaire/q|1"));
        assertThat(values.reference(new CanonicalType("urn:oid:1.2.3")))
                .isEqualTo(ReferenceTarget.external("urn:oid:1.2.3"));
        assertThat(values.reference(new Reference().setDisplay("somebody"))).isNull();
    }

    @Test
    void compositesPairValuesOfTheSameElement() {
        Observation obs = new Observation();
        obs.setCode(new CodeableConcept(new Coding("http://loinc.org", "85354-9", null)));
        obs.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", null)))
                .setValue(new Quantity(120).setCode("mm[Hg]"));
        obs.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "8462-4", null)))
                .setValue(new Quantity(80).setCode("mm[Hg]"));
        IndexRows rows = new IndexRows();
        values.collect(7, obs, rows);

        List<String> components = new ArrayList<>();
        for (int i = 0; i < rows.composite.size(); i++) {
            if (rows.composite.values[2].get(i).equals("component-code-value-quantity")) {
                components.add((String) rows.composite.values[3].get(i));
            }
        }
        assertThat(components).containsExactlyInAnyOrder(
                "[{\"system\":\"http://loinc.org\",\"code\":\"8480-6\"},{\"value\":\"120\",\"lo\":\"119.5\","
                        + "\"hi\":\"120.5\",\"code\":\"mm[Hg]\"}]",
                "[{\"system\":\"http://loinc.org\",\"code\":\"8462-4\"},{\"value\":\"80\",\"lo\":\"79.5\","
                        + "\"hi\":\"80.5\",\"code\":\"mm[Hg]\"}]");
    }

    @Test
    void collectsOneRowPerDistinctValue() {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily("Smith").addGiven("Smith"));
        IndexRows rows = new IndexRows();
        values.collect(1, p, rows);

        long nameRows = rows.string.values[2].stream().filter("name"::equals).count();
        assertThat(nameRows).isEqualTo(1);
        assertThat(rows.token.values[2]).contains("deceased");
    }

    @Test
    void quotesJsonSafely() {
        assertThat(IndexValues.json("a", "x\"y\\z\n", "b", null)).isEqualTo("{\"a\":\"x\\\"y\\\\z\\n\"}");
    }
}
