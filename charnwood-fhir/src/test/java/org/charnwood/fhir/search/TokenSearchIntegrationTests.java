package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenSearchIntegrationTests {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String MRN = "https://trust.example/mrn";
    private static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    private static final String LOINC = "http://loinc.org";

    private SearchFixture fx;
    private String anne;
    private String bob;
    private String unknown;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        Patient a = new Patient();
        a.addIdentifier(new Identifier().setSystem(NHS).setValue("9434765919"));
        a.addIdentifier(new Identifier().setSystem(MRN).setValue("M-1|2")
                .setType(new CodeableConcept(new Coding(V2_0203, "MR", "Medical record number")).setText("Hospital MRN")));
        a.setGender(AdministrativeGender.FEMALE).setActive(true);
        a.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("anne@example.org"));
        a.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("01509 123456"));
        anne = fx.create(a);
        Patient b = new Patient();
        b.addIdentifier(new Identifier().setValue("LOCAL-7"));
        b.setGender(AdministrativeGender.MALE).setActive(false);
        bob = fx.create(b);
        unknown = fx.create(new Patient());
    }

    @Test
    void identifierMatchesBySystemAndValueOrEitherAlone() {
        assertThat(fx.ids("Patient", "identifier=" + NHS + "|9434765919")).containsExactly(anne);
        assertThat(fx.ids("Patient", "identifier=9434765919")).containsExactly(anne);
        assertThat(fx.ids("Patient", "identifier=" + NHS + "|")).containsExactly(anne);
        assertThat(fx.ids("Patient", "identifier=" + MRN + "|9434765919")).isEmpty();
    }

    @Test
    void barSystemMeansTheValueHasNoSystem() {
        assertThat(fx.ids("Patient", "identifier=|LOCAL-7")).containsExactly(bob);
        assertThat(fx.ids("Patient", "identifier=|9434765919")).isEmpty();
    }

    @Test
    void escapedBarIsPartOfTheCode() {
        assertThat(fx.ids("Patient", "identifier=" + MRN + "|M-1\\|2")).containsExactly(anne);
    }

    @Test
    void codesMatchCaseSensitivelyWithTheirImplicitSystem() {
        assertThat(fx.ids("Patient", "gender=female")).containsExactly(anne);
        assertThat(fx.ids("Patient", "gender=http://hl7.org/fhir/administrative-gender|male")).containsExactly(bob);
        assertThat(fx.ids("Patient", "gender=FEMALE")).isEmpty();
    }

    @Test
    void notModifierIncludesResourcesWithoutAnyValue() {
        assertThat(fx.ids("Patient", "gender:not=male")).containsExactlyInAnyOrder(anne, unknown);
        assertThat(fx.ids("Patient", "gender:not=male,female")).containsExactly(unknown);
    }

    @Test
    void booleansAreTokens() {
        assertThat(fx.ids("Patient", "active=true")).containsExactly(anne);
        assertThat(fx.ids("Patient", "active=false")).containsExactly(bob);
    }

    @Test
    void contactPointsMatchOnTheirValue() {
        assertThat(fx.ids("Patient", "email=anne@example.org")).containsExactly(anne);
        assertThat(fx.ids("Patient", "phone=01509 123456")).containsExactly(anne);
        assertThat(fx.ids("Patient", "phone=anne@example.org")).isEmpty();
        assertThat(fx.ids("Patient", "telecom=anne@example.org")).containsExactly(anne);
    }

    @Test
    void ofTypeMatchesIdentifierTypeAndValueTogether() {
        assertThat(fx.ids("Patient", "identifier:of-type=" + V2_0203 + "|MR|M-1\\|2")).containsExactly(anne);
        assertThat(fx.ids("Patient", "identifier:of-type=" + V2_0203 + "|MR|9434765919")).isEmpty();
    }

    @Test
    void textModifierSearchesDisplayAndText() {
        Observation bp = new Observation();
        bp.setStatus(Observation.ObservationStatus.FINAL);
        bp.setCode(new CodeableConcept(new Coding(LOINC, "85354-9", "Blood pressure panel")).setText("BP (sitting)"));
        String id = fx.create(bp);

        assertThat(fx.ids("Observation", "code:text=blood")).containsExactly(id);
        assertThat(fx.ids("Observation", "code:text=PRESSURE")).containsExactly(id);
        assertThat(fx.ids("Observation", "code:text=bp")).containsExactly(id);
        assertThat(fx.ids("Observation", "code:text=sitting")).isEmpty();
        assertThat(fx.ids("Patient", "identifier:text=hospital")).containsExactly(anne);
    }

    @Test
    void codeableConceptMatchesAnyOfItsCodings() {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.setCode(new CodeableConcept().addCoding(new Coding(LOINC, "8867-4", "Heart rate"))
                .addCoding(new Coding("http://snomed.info/sct", "364075005", "Heart rate")));
        String id = fx.create(obs);

        assertThat(fx.ids("Observation", "code=http://snomed.info/sct|364075005")).containsExactly(id);
        assertThat(fx.ids("Observation", "code=" + LOINC + "|8867-4")).containsExactly(id);
        assertThat(fx.ids("Observation", "code=" + LOINC + "|364075005")).isEmpty();
        assertThat(fx.ids("Observation", "code=" + LOINC + "|0000,8867-4")).containsExactly(id);
        assertThat(fx.ids("Observation", "status=final")).containsExactly(id);
    }

    @Test
    void missingModifierWorksOnTokens() {
        assertThat(fx.ids("Patient", "gender:missing=true")).containsExactly(unknown);
        assertThat(fx.ids("Patient", "identifier:missing=false")).containsExactlyInAnyOrder(anne, bob);
    }

    @Test
    void idMatchesTheLogicalIdAndTakesAlternatives() {
        assertThat(fx.ids("Patient", "_id=" + bob)).containsExactly(bob);
        assertThat(fx.ids("Patient", "_id=" + bob + "," + anne)).containsExactlyInAnyOrder(anne, bob);
        assertThat(fx.ids("Patient", "_id=nope")).isEmpty();
        assertThat(fx.ids("Patient", "_id:missing=true")).isEmpty();
        assertThat(fx.ids("Patient", "_lastUpdated:missing=false")).hasSize(3);
    }
}
