package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SystemSearchIntegrationTests {

    private static final String TAGS = "https://charnwood.nhs.example/tags";
    private static final String PROFILE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";

    private SearchFixture fx;
    private String patient;
    private String practitioner;
    private String observation;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        fx.clock.set(Instant.parse("2025-01-01T00:00:00Z"));
        Patient p = new Patient();
        p.getMeta().addTag(new Coding(TAGS, "pilot", null)).addProfile(PROFILE);
        patient = fx.create(p);
        fx.clock.advance(Duration.ofDays(1));
        Practitioner pr = new Practitioner();
        pr.getMeta().addTag(new Coding(TAGS, "pilot", null))
                .addSecurity(new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V", null));
        practitioner = fx.create(pr);
        fx.clock.advance(Duration.ofDays(1));
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept().setText("pulse"));
        observation = fx.create(o);
    }

    @Test
    void searchesEveryTypeByTagProfileAndSecurity() {
        assertThat(fx.ids(null, "_tag=" + TAGS + "|pilot")).containsExactlyInAnyOrder(patient, practitioner);
        assertThat(fx.ids(null, "_profile=" + PROFILE)).containsExactly(patient);
        assertThat(fx.ids(null, "_security=V")).containsExactly(practitioner);
    }

    @Test
    void searchesEveryTypeByIdAndLastUpdated() {
        assertThat(fx.ids(null, "_id=" + observation + "," + patient)).containsExactlyInAnyOrder(observation, patient);
        assertThat(fx.ids(null, "_lastUpdated=ge2025-01-02")).containsExactlyInAnyOrder(practitioner, observation);
        assertThat(fx.ids(null, "_sort=-_lastUpdated")).containsExactly(observation, practitioner, patient);
    }

    @Test
    void typeRestrictsTheTypesSearched() {
        assertThat(fx.ids(null, "_type=Patient,Observation")).containsExactlyInAnyOrder(patient, observation);
        assertThat(fx.ids(null, "_type=Practitioner&_tag=pilot")).containsExactly(practitioner);
        SearchFixture.assertRefused(fx.refusal(null, "_type=Nonsense"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "_type", "Nonsense");
    }

    @Test
    void typeSpecificParametersAreUnknownAcrossAllTypes() {
        SearchFixture.assertRefused(fx.refusal(null, "family=smith"), ErrorCode.UNKNOWN_SEARCH_PARAMETER, "family");
        SearchFixture.assertRefused(fx.refusal(null, "_sort=birthdate"), ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                "birthdate");
    }

    @Test
    void typeLetsTheSearchTakeTheParametersItsTypesShare() {
        Observation pulse = new Observation();
        pulse.setStatus(Observation.ObservationStatus.FINAL);
        pulse.setCode(new CodeableConcept().setText("pulse"));
        pulse.setSubject(new Reference("Patient/" + patient));
        String hers = fx.create(pulse);
        fx.clock.advance(Duration.ofDays(1));
        Condition asthma = new Condition();
        asthma.setSubject(new Reference("Patient/" + patient));
        String condition = fx.create(asthma);

        // patient is stored under subject for both: each type's own definition finds its rows.
        assertThat(fx.ids(null, "_type=Observation,Condition&patient=" + patient))
                .containsExactlyInAnyOrder(hers, condition);
        assertThat(fx.ids(null, "_type=Observation,Condition&patient=" + patient + "&_sort=-_lastUpdated"))
                .containsExactly(condition, hers);
        // :missing is tested within the named types only, not on every resource without the parameter.
        assertThat(fx.ids(null, "_type=Patient,Practitioner&gender:missing=true"))
                .containsExactlyInAnyOrder(patient, practitioner);
        SearchFixture.assertRefused(fx.refusal(null, "_type=Patient,Observation&gender=male"),
                ErrorCode.UNKNOWN_SEARCH_PARAMETER, "gender", "Observation");
    }

    @Test
    void countsEverything() {
        assertThat(fx.page(null, "_summary=count").outcome().total()).isEqualTo(3);
    }
}
