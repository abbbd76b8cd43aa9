package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search semantics of R4 search.html over HTTP, where they are easy to get subtly wrong: the order of values that are
 * ranges, what lenient handling leaves of a sort, how far :below reaches, and what a summary marks as cut.
 */
class SearchSemanticsIntegrationTests extends CharnwoodIntegrationTest {

    private static final String SUBSETTED = "SUBSETTED";

    @Test
    void aRangeSortsByItsLowEndAscendingAndItsHighEndDescending() {
        String patient = patient();
        condition("range", patient, """
                "onsetRange":{"low":{"value":10,"system":"http://unitsofmeasure.org","code":"a"},
                              "high":{"value":50,"system":"http://unitsofmeasure.org","code":"a"}}""");
        condition("thirty", patient, """
                "onsetAge":{"value":30,"system":"http://unitsofmeasure.org","code":"a"}""");
        condition("twenty", patient, """
                "onsetAge":{"value":20,"system":"http://unitsofmeasure.org","code":"a"}""");

        // Ascending by each one's lowest value (10, 20, 30); descending by its highest (50, 30, 20), as for periods.
        assertThat(ids("/fhir/Condition?subject=" + patient + "&_sort=onset-age"))
                .containsExactly("range", "twenty", "thirty");
        assertThat(ids("/fhir/Condition?subject=" + patient + "&_sort=-onset-age"))
                .containsExactly("range", "thirty", "twenty");
        // Paged one at a time, the order holds and nothing comes twice or is skipped.
        assertThat(pagedIds("/fhir/Condition?subject=" + patient + "&_sort=-onset-age&_count=1"))
                .containsExactly("range", "thirty", "twenty");
    }

    @Test
    void startsAfterAndEndsBeforeCompareWithTheSearchValuesImplicitRange() {
        String patient = patient();
        assessment("just-above", patient, "\"probabilityDecimal\":50.2");
        assessment("above", patient, "\"probabilityDecimal\":50.6");
        assessment("just-below", patient, "\"probabilityDecimal\":49.8");
        assessment("below", patient, "\"probabilityDecimal\":49.4");
        assessment("range-above", patient, """
                "probabilityRange":{"low":{"value":50.5,"system":"http://unitsofmeasure.org","code":"%"},
                                    "high":{"value":60,"system":"http://unitsofmeasure.org","code":"%"}}""");
        assessment("range-inside", patient, """
                "probabilityRange":{"low":{"value":50.2,"system":"http://unitsofmeasure.org","code":"%"},
                                    "high":{"value":60,"system":"http://unitsofmeasure.org","code":"%"}}""");
        String search = "/fhir/RiskAssessment?subject=" + patient;

        // 50 stands for [49.5, 50.5): a value within it neither starts after it nor ends before it.
        assertThat(ids(search + "&probability=sa50")).containsExactlyInAnyOrder("above", "range-above");
        assertThat(ids(search + "&probability=eb50")).containsExactly("below");
        assertThat(ids(search + "&probability=gt50")).contains("just-above");
    }

    @Test
    void aProbabilityGivenAsARangeIsSearchedAndSortedAsARange() {
        String patient = patient();
        assessment("likely", patient, "\"probabilityDecimal\":99.6");
        assessment("between", patient, """
                "probabilityRange":{"low":{"value":20,"system":"http://unitsofmeasure.org","code":"%"},
                                    "high":{"value":40,"system":"http://unitsofmeasure.org","code":"%"}}""");
        assessment("thirty", patient, "\"probabilityDecimal\":30");
        String search = "/fhir/RiskAssessment?subject=" + patient;

        assertThat(ids(search + "&probability:missing=true")).isEmpty();
        assertThat(ids(search + "&probability:missing=false")).hasSize(3);
        // eq only when the value's implicit range holds the whole Range; gt and lt when it reaches beyond the value.
        assertThat(ids(search + "&probability=30")).containsExactly("thirty");
        assertThat(ids(search + "&probability=gt35")).containsExactlyInAnyOrder("likely", "between");
        assertThat(ids(search + "&probability=lt25")).containsExactly("between");
        assertThat(ids(search + "&probability=sa25")).containsExactlyInAnyOrder("likely", "thirty");
        assertThat(ids(search + "&probability=100")).containsExactly("likely");
        assertThat(ids(search + "&_sort=probability")).containsExactly("between", "thirty", "likely");
        assertThat(ids(search + "&_sort=-probability")).containsExactly("likely", "between", "thirty");

        // The migration writes the same rows for the assessments stored before the indexer did.
        String rangeRows = "select res_pk, value, lo, hi from idx_number where res_type = 'RiskAssessment'"
                + " and (value = lo or value = hi) order by res_pk";
        List<java.util.Map<String, Object>> written = jdbc.queryForList(rangeRows);
        assertThat(written).hasSize(1);
        jdbc.update("delete from idx_number where res_type = 'RiskAssessment' and (value = lo or value = hi)");
        assertThat(ids(search + "&probability:missing=true")).containsExactly("between");
        jdbc.execute(migration("V502__number_range_rows.sql"));
        assertThat(jdbc.queryForList(rangeRows)).isEqualTo(written);
        assertThat(ids(search + "&probability=lt25")).containsExactly("between");
    }

    private String migration(String name) {
        try (var in = getClass().getResourceAsStream("/db/migration/fhir/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void leniencyLeavesOutOnlyTheUnknownSortKeyAndTheLinksAskForTheOrderApplied() {
        String patient = patient();
        condition("older", patient, "\"onsetDateTime\":\"2020-01-01\"");
        condition("newer", patient, "\"onsetDateTime\":\"2024-01-01\"");

        String search = "/fhir/Condition?subject=" + patient + "&_sort=-onset-date,favourite-colour";
        assertThat(http.get(search).status()).isEqualTo(400);

        Bundle lenient = http.get(search + "&_count=1", "Prefer", "handling=lenient").bundle();
        assertThat(matchIds(lenient)).containsExactly("newer");
        assertThat(lenient.getEntry()).anyMatch(e -> e.getResource() instanceof OperationOutcome o
                && o.getIssueFirstRep().getDiagnostics().contains("favourite-colour"));
        assertThat(lenient.getLink("self").getUrl()).contains("_sort=-onset-date").doesNotContain("favourite-colour");
        String next = lenient.getLink("next").getUrl();
        assertThat(matchIds(http.get(next.substring(next.indexOf("/fhir"))).bundle())).containsExactly("older");
    }

    @Test
    void idTakesNotAsEveryTokenParameterDoes() {
        String patient = patient();
        condition("first", patient, "\"onsetDateTime\":\"2020-01-01\"");
        condition("second", patient, "\"onsetDateTime\":\"2021-01-01\"");
        condition("third", patient, "\"onsetDateTime\":\"2022-01-01\"");
        String search = "/fhir/Condition?subject=" + patient + "&_sort=onset-date";

        assertThat(ids(search + "&_id:not=second")).containsExactly("first", "third");
        assertThat(ids(search + "&_id:not=first,third")).containsExactly("second");
        assertThat(ids(search + "&_id:not=first&_id:not=second")).containsExactly("third");
        assertThat(http.get(search + "&_id:exact=first").status()).isEqualTo(400);
    }

    @Test
    void belowGoesDownAUrisPathAWholeSegmentAtATime() {
        valueSet("fhir", "http://acme.org/fhir/ValueSet/wards");
        valueSet("versioned", "http://acme.org/fhir|2.0");
        valueSet("elsewhere", "http://acme.org/fhirplace/ValueSet/wards");

        assertThat(ids("/fhir/ValueSet?url:below=http://acme.org/fhir")).containsExactlyInAnyOrder("fhir", "versioned");
        assertThat(ids("/fhir/ValueSet?url:below=http://acme.org/fhir/")).containsExactlyInAnyOrder("fhir", "versioned");
        assertThat(ids("/fhir/ValueSet?url:below=http://acme.org/fhi")).isEmpty();
        assertThat(ids("/fhir/ValueSet?url:below=http://acme.org"))
                .containsExactlyInAnyOrder("fhir", "versioned", "elsewhere");
    }

    @Test
    void aSummaryMarksTheResourcesItTrimsButNotTheSearchsetAroundThem() {
        String patient = patient();
        condition("onset", patient, "\"onsetDateTime\":\"2020-01-01\"");

        for (String summary : List.of("true", "data")) {
            for (String format : List.of("json", "xml")) {
                Bundle bundle = http.get("/fhir/Condition?subject=" + patient + "&_include=Condition:subject&_summary="
                        + summary + "&_format=" + format).bundle();
                assertThat(bundle.getMeta().getTag()).as(summary + " " + format)
                        .noneMatch(t -> SUBSETTED.equals(t.getCode()));
                assertThat(bundle.getTotal()).isEqualTo(1);
                assertThat(bundle.getLink("self")).isNotNull();
                assertThat(bundle.getEntry()).hasSize(2).allSatisfy(e -> {
                    assertThat(e.getFullUrl()).isNotBlank();
                    assertThat(e.getSearch().getMode()).isNotNull();
                    assertThat(e.getResource().getMeta().getTag()).as(summary + " " + format)
                            .filteredOn(t -> SUBSETTED.equals(t.getCode())).hasSize(1);
                });
            }
        }
        // With _elements as well, a match is trimmed by both and tagged once.
        Bundle both = http.get("/fhir/Condition?subject=" + patient + "&_summary=true&_elements=subject").bundle();
        assertThat(both.getMeta().getTag()).noneMatch(t -> SUBSETTED.equals(t.getCode()));
        org.hl7.fhir.r4.model.Condition match = (org.hl7.fhir.r4.model.Condition) both.getEntryFirstRep().getResource();
        assertThat(match.hasSubject()).isTrue();
        assertThat(match.hasOnset()).isFalse();
        assertThat(match.getMeta().getTag()).extracting(Coding::getCode).containsOnlyOnce(SUBSETTED);
    }

    private String patient() {
        return http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Okonjo\"}]}",
                "application/fhir+json").resource(org.hl7.fhir.r4.model.Patient.class).getIdElement().getIdPart();
    }

    private void condition(String id, String patient, String onset) {
        assertThat(http.put("/fhir/Condition/" + id, """
                {"resourceType":"Condition","id":"%s","subject":{"reference":"Patient/%s"},
                 "code":{"text":"Falls"},%s}""".formatted(id, patient, onset), "application/fhir+json").status())
                .isIn(200, 201);
    }

    private void assessment(String id, String patient, String probability) {
        assertThat(http.put("/fhir/RiskAssessment/" + id, """
                {"resourceType":"RiskAssessment","id":"%s","status":"final","subject":{"reference":"Patient/%s"},
                 "prediction":[{%s}]}""".formatted(id, patient, probability), "application/fhir+json").status())
                .isIn(200, 201);
    }

    private void valueSet(String id, String url) {
        assertThat(http.put("/fhir/ValueSet/" + id, """
                {"resourceType":"ValueSet","id":"%s","url":"%s","status":"active"}""".formatted(id, url),
                "application/fhir+json").status()).isIn(200, 201);
    }

    private List<String> ids(String search) {
        return matchIds(http.get(search).bundle());
    }

    private static List<String> matchIds(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    private List<String> pagedIds(String search) {
        List<String> all = new java.util.ArrayList<>();
        String next = search;
        while (next != null) {
            Bundle page = http.get(next).bundle();
            all.addAll(matchIds(page));
            Bundle.BundleLinkComponent link = page.getLink("next");
            next = link == null ? null : link.getUrl().substring(link.getUrl().indexOf("/fhir"));
        }
        return all;
    }
}
