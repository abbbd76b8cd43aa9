package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReferenceSearchIntegrationTests {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String LOINC = "http://loinc.org";

    private SearchFixture fx;
    private String smith;
    private String jones;
    private String obsSmith;
    private String obsJones;
    private String obsGroup;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        smith = fx.create(patient("Smith", "9434765919", "1970-01-01"));
        jones = fx.create(patient("Jones", "9434765870", "1990-01-01"));
        String group = fx.create(new Group().setType(Group.GroupType.PERSON).setActual(true).setName("Smith cohort"));
        obsSmith = fx.create(observation("Patient/" + smith, "8867-4"));
        obsJones = fx.create(observation(SearchFixture.OUR_BASE + "/Patient/" + jones, "8867-4"));
        obsGroup = fx.create(observation("Group/" + group, "8867-4"));
    }

    private static Patient patient(String family, String nhsNumber, String born) {
        Patient p = new Patient();
        p.addName(new HumanName().setFamily(family));
        p.addIdentifier(new Identifier().setSystem(NHS).setValue(nhsNumber));
        p.setBirthDateElement(new DateType(born));
        return p;
    }

    private static Observation observation(String subject, String loinc) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.setCode(new CodeableConcept(new Coding(LOINC, loinc, null)));
        obs.setSubject(new Reference(subject));
        return obs;
    }

    @Test
    void matchesByTypeAndIdOrByIdAlone() {
        assertThat(fx.ids("Observation", "subject=Patient/" + smith)).containsExactly(obsSmith);
        assertThat(fx.ids("Observation", "subject=" + smith)).containsExactly(obsSmith);
        assertThat(fx.ids("Observation", "patient=" + smith)).containsExactly(obsSmith);
        assertThat(fx.ids("Observation", "subject=Group/" + smith)).isEmpty();
    }

    @Test
    void typeModifierRestrictsTheTarget() {
        assertThat(fx.ids("Observation", "subject:Patient=" + smith)).containsExactly(obsSmith);
        assertThat(fx.ids("Observation", "subject:Group=" + smith)).isEmpty();
    }

    @Test
    void absoluteReferencesUnderOurBaseAreLocal() {
        assertThat(fx.ids("Observation", "subject=Patient/" + jones)).containsExactly(obsJones);
        assertThat(fx.ids("Observation", "subject=" + SearchFixture.OUR_BASE + "/Patient/" + smith))
                .containsExactly(obsSmith);
        assertThat(fx.ids("Observation", "patient=" + jones)).as("resolve() is Patient on an absolute reference")
                .containsExactly(obsJones);
    }

    @Test
    void patientParameterOnlyMatchesPatientSubjects() {
        assertThat(fx.ids("Observation", "patient:missing=false")).containsExactlyInAnyOrder(obsSmith, obsJones);
        assertThat(fx.ids("Observation", "subject:missing=false")).containsExactlyInAnyOrder(obsSmith, obsJones, obsGroup);
    }

    @Test
    void versionedReferencesMatchTheResource() {
        String versioned = fx.create(observation("Patient/" + smith + "/_history/1", "1234-5"));

        assertThat(fx.ids("Observation", "subject=Patient/" + smith)).containsExactlyInAnyOrder(obsSmith, versioned);
    }

    @Test
    void referencesToOtherServersMatchByUrl() {
        String url = "https://other.example/fhir/Patient/77";
        String external = fx.create(observation(url, "1234-5"));

        assertThat(fx.ids("Observation", "subject=" + url)).containsExactly(external);
        assertThat(fx.ids("Observation", "patient=" + url)).containsExactly(external);
        assertThat(fx.ids("Observation", "subject=77")).isEmpty();
        assertThat(fx.ids("Observation", "subject=Patient/77")).isEmpty();
        assertThat(fx.included("Observation", "_id=" + external + "&_include=Observation:patient")).isEmpty();
    }

    @Test
    void canonicalReferencesMatchWithOrWithoutVersion() {
        QuestionnaireResponse qr = new QuestionnaireResponse();
        qr.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        qr.setQuestionnaire("https://forms.example/Questionnaire/phq9|2.0");
        String id = fx.create(qr);

        assertThat(fx.ids("QuestionnaireResponse", "questionnaire=https://forms.example/Questionnaire/phq9"))
                .containsExactly(id);
        assertThat(fx.ids("QuestionnaireResponse", "questionnaire=https://forms.example/Questionnaire/phq9|2.0"))
                .containsExactly(id);
        assertThat(fx.ids("QuestionnaireResponse", "questionnaire=https://forms.example/Questionnaire/phq9|1.0"))
                .isEmpty();
    }

    @Test
    void identifierModifierMatchesLogicalReferences() {
        Observation logical = new Observation();
        logical.setStatus(Observation.ObservationStatus.FINAL);
        logical.setCode(new CodeableConcept().setText("pulse"));
        logical.setSubject(new Reference().setIdentifier(new Identifier().setSystem(NHS).setValue("9999999999")));
        String id = fx.create(logical);

        assertThat(fx.ids("Observation", "subject:identifier=" + NHS + "|9999999999")).containsExactly(id);
        assertThat(fx.ids("Observation", "patient:identifier=9999999999")).containsExactly(id);
        assertThat(fx.ids("Observation", "subject:identifier=" + NHS + "|9434765919")).isEmpty();
        assertThat(fx.ids("Observation", "subject:missing=false")).as("a Reference with only an identifier is a value")
                .containsExactlyInAnyOrder(obsSmith, obsJones, obsGroup, id);
        assertThat(fx.ids("Observation", "subject:missing=true")).isEmpty();
        String none = fx.create(new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept().setText("pulse")));
        assertThat(fx.ids("Observation", "subject:missing=true")).containsExactly(none);
        assertThat(fx.ids("Observation", "subject:identifier=" + NHS + "|9999999999&subject:missing=false"))
                .containsExactly(id);
    }

    @Test
    void chainsSearchTheReferencedResource() {
        assertThat(fx.ids("Observation", "subject:Patient.identifier=" + NHS + "|9434765919"))
                .containsExactly(obsSmith);
        assertThat(fx.ids("Observation", "subject.name=jones")).containsExactly(obsJones);
        assertThat(fx.ids("Observation", "patient.birthdate=lt1980")).containsExactly(obsSmith);
        assertThat(fx.ids("Observation", "subject.name=smith")).as("Group has no name parameter")
                .containsExactly(obsSmith);
        assertThat(fx.ids("Observation", "subject:Patient.name=smith,jones"))
                .containsExactlyInAnyOrder(obsSmith, obsJones);
        assertThat(fx.page("Observation", "code=8867-4&subject.name=jones&_summary=count").outcome().total())
                .isEqualTo(1);
    }

    @Test
    void chainsGoMoreThanOneLevel() {
        Organization org = new Organization().setName("Charnwood Community Trust");
        String orgId = fx.create(org);
        Patient p = patient("Patel", "9434765889", "1980-01-01");
        p.setManagingOrganization(new Reference("Organization/" + orgId));
        String patel = fx.create(p);
        String obs = fx.create(observation("Patient/" + patel, "8867-4"));

        assertThat(fx.ids("Observation", "patient.organization.name=charnwood")).containsExactly(obs);
    }

    @Test
    void chainsIgnoreDeletedTargets() {
        fx.delete("Patient", jones);

        assertThat(fx.ids("Observation", "subject.name=jones")).isEmpty();
    }

    @Test
    void reverseChainsFindResourcesReferredToByMatches() {
        String encounter = fx.create(new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                .setSubject(new Reference("Patient/" + jones)));

        assertThat(fx.ids("Patient", "_has:Observation:patient:code=8867-4")).containsExactlyInAnyOrder(smith, jones);
        assertThat(fx.ids("Patient", "_has:Observation:subject:_id=" + obsSmith)).containsExactly(smith);
        assertThat(fx.ids("Patient", "_has:Encounter:patient:status=finished")).containsExactly(jones);
        assertThat(fx.ids("Patient", "_has:Encounter:subject:_id=" + encounter)).containsExactly(jones);
    }

    @Test
    void chainOnANonReferenceParameterIsRefused() {
        SearchFixture.assertRefused(fx.refusal("Observation", "code.name=x"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "code", "reference");
        SearchFixture.assertRefused(fx.refusal("Observation", "subject.nonsense=x"), ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                "nonsense");
    }
}
