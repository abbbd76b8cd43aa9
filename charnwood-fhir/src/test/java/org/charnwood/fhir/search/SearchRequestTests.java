package org.charnwood.fhir.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A search built from name and value pairs, and the same search placed at its next page. */
class SearchRequestTests {

    @Test
    void pairsAreKeptInOrderAndANameGivenTwiceHasBothValues() {
        SearchRequest request = SearchRequest.of("Observation", "patient", "Patient/p1", "date", "ge2026-01-01",
                "date", "lt2026-02-01");

        assertThat(request.resourceType()).isEqualTo("Observation");
        assertThat(request.parameters()).containsOnlyKeys("patient", "date");
        assertThat(request.parameters().keySet()).containsExactly("patient", "date");
        assertThat(request.parameters().get("date")).containsExactly("ge2026-01-01", "lt2026-02-01");
        assertThat(request.lenient()).isFalse();
    }

    @Test
    void theNextPageReplacesThePagingParameterOfThisPageAndTheLastPageHasNone() {
        SearchRequest first = SearchRequest.of("Task", "status", "requested", "_count", "2");
        SearchOutcome page1 = new SearchOutcome(List.of(1L, 2L), List.of(), null, 0, 2, true, List.of(), "",
                null, "_after=abc", null, false);

        SearchRequest second = first.nextAfter(page1);
        SearchOutcome page2 = new SearchOutcome(List.of(3L, 4L), List.of(), null, 0, 2, true, List.of(), "",
                "_after=abc", "_after=def", "", false);
        SearchRequest third = second.nextAfter(page2);
        SearchOutcome last = new SearchOutcome(List.of(5L), List.of(), null, 0, 2, false, List.of(), "",
                "_after=def", null, "_after=abc", false);

        assertThat(second.parameters()).containsEntry("_after", List.of("abc")).containsEntry("status",
                List.of("requested"));
        assertThat(third.parameters().get("_after")).containsExactly("def");
        assertThat(first.parameters()).doesNotContainKey("_after");
        assertThat(third.nextAfter(last)).isNull();
    }
}
