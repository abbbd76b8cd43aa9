package org.charnwood.terminology.snomed;

import org.charnwood.terminology.testing.TerminologyTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.terminology.snomed.SnomedReleaseIntegrationTests.*;

class TermSearchIntegrationTests {

    static SnomedRelease release;

    @BeforeAll
    static void loadSample() {
        TerminologyTestDatabase db = TerminologyTestDatabase.get();
        db.reset();
        new SnomedImporter(db.dataSource(), ImportListener.NONE).load(List.of(TerminologyTestDatabase.syntheticSample()));
        release = new SnomedReleaseReader(db.dataSource()).read();
    }

    private static List<SearchHit> search(SearchRequest request) {
        return release.search(request);
    }

    private static List<Long> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::conceptId).toList();
    }

    @Test
    void findsTermsByTheStartOfEachWord() {
        List<SearchHit> hits = search(SearchRequest.of("synth card", 10));
        assertThat(ids(hits)).containsExactly(CARDIOPULMONARY);
        assertThat(hits.get(0).term()).isEqualTo("Synthetic cardiopulmonary-like disorder");
        assertThat(hits.get(0).match()).isEqualTo(SearchHit.Match.PREFIX);
    }

    @Test
    void ranksAnExactTermFirstThenTermsStartingWithTheTextThenWordsAnywhere() {
        List<SearchHit> hits = search(SearchRequest.of("synthetic disease", 10));
        assertThat(hits.get(0).conceptId()).isEqualTo(DISEASE);
        assertThat(hits.get(0).match()).isEqualTo(SearchHit.Match.EXACT);

        List<SearchHit> lung = search(SearchRequest.of("lung disorder", 20));
        assertThat(lung).extracting(SearchHit::match).containsOnly(SearchHit.Match.WORDS);
        // Shorter terms first within a rank.
        assertThat(lung.get(0).conceptId()).isEqualTo(LUNG_DISORDER);

        List<SearchHit> heart = search(SearchRequest.of("synthetic heart", 20));
        assertThat(heart.get(0).match()).isEqualTo(SearchHit.Match.PREFIX);
        assertThat(heart.get(0).term()).isEqualTo("Synthetic heart-like organ");
        assertThat(heart).extracting(SearchHit::match).isSortedAccordingTo(Enum::compareTo);
    }

    @Test
    void returnsEachConceptOnceWithItsBestMatchingTerm() {
        List<SearchHit> hits = search(SearchRequest.of("type alpha", 20));
        assertThat(ids(hits)).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(HEART_ALPHA, 10139999999105L, 10159999999102L);
    }

    @Test
    void findsAcceptableSynonymsAndShowsThePreferredTerm() {
        List<SearchHit> hits = search(SearchRequest.of("test heart-like organ disorder type alpha", 5));
        assertThat(hits.get(0).conceptId()).isEqualTo(HEART_ALPHA);
        assertThat(hits.get(0).match()).isEqualTo(SearchHit.Match.EXACT);
        assertThat(hits.get(0).term()).isEqualTo("Test heart-like organ disorder type alpha");
        assertThat(hits.get(0).preferredTerm()).isEqualTo("Synthetic heart-like organ disorder type alpha");
    }

    @Test
    void toleratesASmallMisspellingButRanksItLast() {
        List<SearchHit> hits = search(SearchRequest.of("cardiopulmanary", 5));
        assertThat(ids(hits)).containsExactly(CARDIOPULMONARY);
        assertThat(hits.get(0).match()).isEqualTo(SearchHit.Match.FUZZY);
        assertThat(search(SearchRequest.of("zzzz", 5))).isEmpty();
    }

    @Test
    void searchesOnlyWithinTheAllowedConceptsOrARefset() {
        BitSet lungOnly = new BitSet();
        release.addDescendants(release.index(LUNG_DISORDER), lungOnly);
        BitSet before = (BitSet) lungOnly.clone();
        List<SearchHit> hits = search(SearchRequest.of("synth", 20).within(lungOnly));
        assertThat(ids(hits)).containsExactlyInAnyOrder(10139999999105L, 10149999999100L, CARDIOPULMONARY);
        assertThat(lungOnly).isEqualTo(before);

        assertThat(ids(search(SearchRequest.of("synthetic raised", 5).inRefset(PROBLEM_LIST))))
                .containsExactly(10229999999103L);
        assertThat(search(SearchRequest.of("synthetic procedure", 5).inRefset(PROBLEM_LIST))).isEmpty();
    }

    @Test
    void findsInactiveConceptsOnlyWhenAskedAndSuggestsTheirReplacements() {
        assertThat(ids(search(SearchRequest.of("type delta", 5)))).isEmpty();
        List<SearchHit> hits = search(SearchRequest.of("type delta", 5).includingInactive());
        assertThat(hits).singleElement().satisfies(hit -> {
            assertThat(hit.conceptId()).isEqualTo(HEART_DELTA_INACTIVE);
            assertThat(hit.active()).isFalse();
            assertThat(hit.replacedBy()).containsExactly(HEART_ALPHA);
        });
    }

    @Test
    void ignoresCaseAccentsAndPunctuation() {
        assertThat(ids(search(SearchRequest.of("  SYNTHÉTIC, Gland-Disorder alpha-1 ", 5)))).first()
                .isEqualTo(10199999999106L);
        assertThat(search(SearchRequest.of(" -- ", 5))).isEmpty();
    }

    @Test
    void theEarlyStoppingWalkRanksLikeTheFullScan() {
        List<String> queries = List.of("synthetic", "synth", "syn dis", "s", "t", "type", "disorder", "organ", "gland",
                "test", "lung", "synthetic heart", "heart", "ty alp", "body", "finding", "reference set", "set");
        for (int limit : new int[] {1, 3, 10, 50}) {
            for (String q : queries) {
                release.search().selectiveThreshold(Integer.MAX_VALUE);
                List<SearchHit> full = search(SearchRequest.of(q, limit));
                release.search().selectiveThreshold(0);
                List<SearchHit> walked = search(SearchRequest.of(q, limit));
                release.search().selectiveThreshold(6_000);
                assertThat(walked).as("%s limit %d", q, limit).isEqualTo(full);
            }
        }
    }

    @Test
    void honoursTheLimit() {
        assertThat(search(SearchRequest.of("synthetic", 3))).hasSize(3);
    }
}
