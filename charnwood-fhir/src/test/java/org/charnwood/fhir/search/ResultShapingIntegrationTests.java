package org.charnwood.fhir.search;

import org.charnwood.fhir.FhirRepository.SearchPage;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResultShapingIntegrationTests {

    private SearchFixture fx;
    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        // family, given, birth date; created a minute apart
        String[][] people = {
                {"Brown", "Cara", "1980-05-01"}, {"Adams", "Ben", "1975-01-01"}, {"Clark", "Amy", "1990-12-31"},
                {"Adams", "Ann", "1960-07-07"}, {"Brown", "Bob", null}};
        for (String[] p : people) {
            Patient patient = new Patient();
            patient.addName(new HumanName().setFamily(p[0]).addGiven(p[1]));
            if (p[2] != null) {
                patient.setBirthDateElement(new DateType(p[2]));
            }
            created.add(fx.create(patient));
            fx.clock.advance(Duration.ofMinutes(1));
        }
    }

    private List<String> givens(String query) {
        return fx.page("Patient", query).matches().stream().map(ResultShapingIntegrationTests::given).toList();
    }

    @Test
    void sortsByParameterAscendingAndDescending() {
        assertThat(givens("_sort=given")).containsExactly("Amy", "Ann", "Ben", "Bob", "Cara");
        assertThat(givens("_sort=-given")).containsExactly("Cara", "Bob", "Ben", "Ann", "Amy");
    }

    @Test
    void sortsBySeveralKeys() {
        assertThat(givens("_sort=family,-given")).containsExactly("Ben", "Ann", "Cara", "Bob", "Amy");
    }

    @Test
    void sortsByDateWithMissingValuesLast() {
        assertThat(givens("_sort=birthdate")).containsExactly("Ann", "Ben", "Cara", "Amy", "Bob");
        assertThat(givens("_sort=-birthdate")).containsExactly("Amy", "Cara", "Ben", "Ann", "Bob");
    }

    @Test
    void sortsByIdAndLastUpdated() {
        assertThat(fx.ids("Patient", "_sort=-_lastUpdated")).containsExactlyElementsOf(created.reversed());
        assertThat(fx.ids("Patient", "_sort=_lastUpdated")).containsExactlyElementsOf(created);
        assertThat(fx.ids("Patient", "_sort=_id")).containsExactlyElementsOf(created.stream().sorted().toList());
    }

    @Test
    void tiesKeepAStableOrderAcrossPages() {
        List<String> all = fx.ids("Patient", "_sort=family&_count=10");
        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 5; offset += 2) {
            paged.addAll(fx.ids("Patient", "_sort=family&_count=2&_getpagesoffset=" + offset));
        }
        assertThat(paged).containsExactlyElementsOf(all);
    }

    @Test
    void pagesReportWhetherMoreFollow() {
        SearchPage first = fx.page("Patient", "_count=2");
        assertThat(first.matches()).hasSize(2);
        assertThat(first.outcome().hasMore()).isTrue();
        assertThat(first.outcome().count()).isEqualTo(2);

        SearchPage last = fx.page("Patient", "_count=2&_getpagesoffset=4");
        assertThat(last.matches()).hasSize(1);
        assertThat(last.outcome().hasMore()).isFalse();
        assertThat(last.outcome().offset()).isEqualTo(4);
        assertThat(last.outcome().total()).isEqualTo(5);
    }

    @Test
    void defaultPageSizeComesFromTheSettingsAndCountIsCapped() {
        assertThat(fx.page("Patient", "").outcome().count()).isEqualTo(20);
        assertThat(fx.page("Patient", "_count=5000").outcome().count()).isEqualTo(1000);
    }

    @Test
    void totalFollowsTheTotalParameter() {
        assertThat(fx.page("Patient", "_count=2").outcome().total()).isEqualTo(5);
        assertThat(fx.page("Patient", "_count=2&_total=accurate").outcome().total()).isEqualTo(5);
        assertThat(fx.page("Patient", "_count=2&_total=none").outcome().total()).isNull();
        assertThat(fx.page("Patient", "_count=2&_total=estimate").outcome().total()).isPositive();
        assertThat(fx.page("Patient", "family=adams&_total=accurate").outcome().total()).isEqualTo(2);
        assertThat(fx.page("Patient", "_getpagesoffset=10&_total=accurate").outcome().total()).isEqualTo(5);
    }

    @Test
    void totalsCountEachMatchingResourceOnce() {
        // Ann Adams and Ben Adams both match family=a and given=a/b twice over their names
        assertThat(fx.page("Patient", "name=a&_summary=count").outcome().total()).isEqualTo(3);
        assertThat(fx.page("Patient", "name=a&given=a,b&_summary=count").outcome().total()).isEqualTo(3);
        assertThat(fx.page("Patient", "name=a&_count=1").outcome().total()).isEqualTo(3);
        assertThat(fx.page("Patient", "name=a&_id=" + created.get(1) + "&_summary=count").outcome().total())
                .isEqualTo(1);
    }

    @Test
    void summaryCountReturnsOnlyTheTotal() {
        SearchPage page = fx.page("Patient", "family=brown&_summary=count");
        assertThat(page.matches()).isEmpty();
        assertThat(page.outcome().total()).isEqualTo(2);

        SearchPage zero = fx.page("Patient", "_count=0");
        assertThat(zero.matches()).isEmpty();
        assertThat(zero.outcome().total()).isEqualTo(5);
    }

    @Test
    void otherSummaryValuesAndShapingParametersAreLeftToTheCaller() {
        assertThat(fx.ids("Patient", "family=adams&_summary=true&_elements=name&_format=json&_pretty=true"))
                .hasSize(2);
        assertThat(fx.ids("Patient", "family=adams&_summary=data")).hasSize(2);
    }

    @Test
    void selfQueryKeepsTheSearchButNotThePaging() {
        SearchPage page = fx.page("Patient",
                "family=adams&_count=2&_getpagesoffset=2&_sort=-birthdate&_format=json&given:exact=Ann%20B");
        assertThat(page.outcome().selfQuery()).isEqualTo("family=adams&_sort=-birthdate&given:exact=Ann%20B");
    }

    @Test
    void deletedResourcesNeverMatch() {
        fx.delete("Patient", created.get(0));

        assertThat(fx.ids("Patient", "family=brown")).hasSize(1).doesNotContain(created.get(0));
        assertThat(fx.ids("Patient", "_id=" + created.get(0))).isEmpty();
        assertThat(fx.page("Patient", "_summary=count").outcome().total()).isEqualTo(4);
        assertThat(fx.page("Patient", "family=brown&_summary=count").outcome().total()).isEqualTo(1);
        assertThat(fx.db.count("select count(*) from idx_string s join fhir_resource r using (res_pk) where r.deleted"))
                .isZero();
    }

    static String given(StoredResource r) {
        return r.json().replaceAll(".*\"given\":\\[\"([^\"]+)\".*", "$1");
    }
}
