package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IncludeIntegrationTests {

    private SearchFixture fx;
    private String org;
    private String gp;
    private String patient;
    private String encounter;
    private String obs1;
    private String obs2;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        org = fx.create(new Organization().setName("Charnwood Trust"));
        gp = fx.create(new Practitioner().addName(new HumanName().setFamily("Khan")));
        Patient p = new Patient();
        p.addName(new HumanName().setFamily("Smith"));
        p.setManagingOrganization(new Reference("Organization/" + org));
        p.addGeneralPractitioner(new Reference("Practitioner/" + gp));
        patient = fx.create(p);
        encounter = fx.create(new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                .setSubject(new Reference("Patient/" + patient)));
        obs1 = fx.create(observation("pulse"));
        obs2 = fx.create(observation("temperature"));
    }

    private Observation observation(String text) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.setCode(new CodeableConcept().setText(text));
        obs.setSubject(new Reference("Patient/" + patient));
        obs.setEncounter(new Reference("Encounter/" + encounter));
        obs.addPerformer(new Reference("Practitioner/" + gp));
        return obs;
    }

    @Test
    void includeAddsReferencedResourcesOnce() {
        assertThat(fx.included("Observation", "_include=Observation:subject"))
                .containsExactly("Patient/" + patient);
    }

    @Test
    void includeCanNameTheTargetType() {
        assertThat(fx.included("Observation", "_include=Observation:performer:Practitioner"))
                .containsExactly("Practitioner/" + gp);
        assertThat(fx.included("Observation", "_include=Observation:performer:Organization")).isEmpty();
    }

    @Test
    void includeStarFollowsEveryReference() {
        assertThat(fx.included("Observation", "_include=*"))
                .containsExactlyInAnyOrder("Patient/" + patient, "Encounter/" + encounter, "Practitioner/" + gp);
        assertThat(fx.included("Observation", "_include=Observation:*"))
                .containsExactlyInAnyOrder("Patient/" + patient, "Encounter/" + encounter, "Practitioner/" + gp);
    }

    @Test
    void revincludeAddsResourcesThatReferToTheMatches() {
        assertThat(fx.included("Patient", "_revinclude=Observation:subject"))
                .containsExactlyInAnyOrder("Observation/" + obs1, "Observation/" + obs2);
        assertThat(fx.included("Patient", "_revinclude=Observation:subject&_revinclude=Encounter:subject"))
                .containsExactlyInAnyOrder("Observation/" + obs1, "Observation/" + obs2, "Encounter/" + encounter);
        assertThat(fx.included("Patient", "_revinclude=*"))
                .containsExactlyInAnyOrder("Observation/" + obs1, "Observation/" + obs2, "Encounter/" + encounter);
    }

    @Test
    void iterateFollowsReferencesOfIncludedResources() {
        assertThat(fx.included("Observation", "_include=Observation:subject&_include=Patient:organization"))
                .as("without :iterate the second include applies to the matches only")
                .containsExactly("Patient/" + patient);
        assertThat(fx.included("Observation", "_include=Observation:encounter&_include:iterate=Encounter:subject"
                + "&_include:iterate=Patient:organization"))
                .containsExactlyInAnyOrder("Encounter/" + encounter, "Patient/" + patient, "Organization/" + org);
        assertThat(fx.included("Organization", "_revinclude=Patient:organization"
                + "&_revinclude:iterate=Observation:subject"))
                .containsExactlyInAnyOrder("Patient/" + patient, "Observation/" + obs1, "Observation/" + obs2);
    }

    @Test
    void includedResourcesLeaveOutTheMatchesThemselves() {
        assertThat(fx.included("Observation", "_revinclude=Observation:performer&_include=Observation:performer"))
                .containsExactly("Practitioner/" + gp);
    }

    @Test
    void includesFollowOnlyTheCurrentPage() {
        assertThat(fx.page("Observation", "_count=1&_revinclude=*&_include=Observation:subject").included())
                .hasSize(1);
    }

    @Test
    void deletedTargetsAreNotIncluded() {
        fx.delete("Encounter", encounter);

        assertThat(fx.included("Observation", "_include=Observation:encounter")).isEmpty();
    }

    @Test
    void malformedIncludesAreRefused() {
        SearchFixture.assertRefused(fx.refusal("Observation", "_include=subject"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "_include", "Type:parameter");
        SearchFixture.assertRefused(fx.refusal("Observation", "_include=Observation:code"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "code", "not a reference");
        SearchFixture.assertRefused(fx.refusal("Observation", "_include=Observation:nothing"),
                ErrorCode.UNKNOWN_SEARCH_PARAMETER, "nothing");
    }
}
