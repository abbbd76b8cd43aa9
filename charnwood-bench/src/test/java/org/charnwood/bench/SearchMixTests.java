package org.charnwood.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.charnwood.bench.SearchSample.ObservationFacts;
import org.charnwood.bench.SearchSample.PatientFacts;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SearchMixTests {

    private static final SearchSample SAMPLE = new SearchSample(
            List.of(new PatientFacts("p1", "9990000018", "O'Brien", "1950-03-04", "LE11 3AB")),
            List.of(new ObservationFacts("p1", "http://loinc.org", "8867-4")), List.of());

    private final SearchMix mix = new SearchMix(SAMPLE);

    @Test
    void buildsEachQueryFromTheSampleWithValuesUrlEncoded() {
        Random random = new Random(1);

        assertThat(mix.url(SearchQuery.NHS_NUMBER, random))
                .isEqualTo("/Patient?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9990000018");
        assertThat(mix.url(SearchQuery.FAMILY_AND_BIRTHDATE, random))
                .isEqualTo("/Patient?family=O%27Brien&birthdate=1950-03-04");
        assertThat(mix.url(SearchQuery.RECENT_OBSERVATIONS, random))
                .isEqualTo("/Observation?subject=Patient%2Fp1&code=http%3A%2F%2Floinc.org%7C8867-4&_sort=-date&_count=10");
        assertThat(mix.url(SearchQuery.RECENT_ENCOUNTERS, random)).matches("/Encounter\\?patient=Patient%2Fp1&date=ge20\\d\\d-\\d\\d-\\d\\d");
        assertThat(mix.url(SearchQuery.ACTIVE_CONDITIONS, random)).isEqualTo("/Condition?patient=Patient%2Fp1&clinical-status=active");
        assertThat(mix.url(SearchQuery.ACTIVE_MEDICATIONS, random)).isEqualTo("/MedicationRequest?patient=Patient%2Fp1&status=active");
        assertThat(mix.url(SearchQuery.PATIENT_PREFIX, random)).isIn("/Patient?address-postalcode=LE11&_count=20",
                "/Patient?name=O%27B&_count=20");
    }

    @Test
    void picksEveryKindAndRepeatsForTheSameSeed() {
        Set<SearchQuery> seen = EnumSet.noneOf(SearchQuery.class);
        Random a = new Random(42);
        Random b = new Random(42);
        for (int i = 0; i < 200; i++) {
            SearchQuery kind = mix.pick(a);
            assertThat(mix.pick(b)).isEqualTo(kind);
            seen.add(kind);
        }
        assertThat(seen).containsExactlyInAnyOrder(SearchQuery.values());
    }

    @Test
    void takesThePostcodeDistrict() {
        assertThat(SearchMix.district("LE11 3AB")).isEqualTo("LE11");
        assertThat(SearchMix.district("LE113AB")).isEqualTo("LE113AB");
    }

    @Test
    void readsPatientFactsFromASearchEntry() throws Exception {
        String json = """
                {"resourceType":"Patient","id":"abc",
                 "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}],
                 "name":[{"family":"Khan","given":["Aisha"]}],"birthDate":"1980-01-02",
                 "address":[{"postalCode":"LE1 5WW"}]}""";

        PatientFacts facts = SearchSampler.patient(new ObjectMapper().readTree(json));

        assertThat(facts).isEqualTo(new PatientFacts("abc", "9990000018", "Khan", "1980-01-02", "LE1 5WW"));
    }
}
