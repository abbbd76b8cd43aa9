package org.charnwood.terminology.snomed;

import org.charnwood.terminology.testing.TerminologyTestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnomedImporterIntegrationTests {

    private final TerminologyTestDatabase db = TerminologyTestDatabase.get();

    @BeforeEach
    void emptyDatabase() {
        db.reset();
    }

    private SnomedImporter importer() {
        return new SnomedImporter(db.dataSource(), ImportListener.NONE);
    }

    @Test
    void loadsEveryFileOfTheSyntheticSample() {
        ImportOutcome outcome = importer().load(List.of(TerminologyTestDatabase.syntheticSample()));

        assertThat(outcome.unchanged()).isFalse();
        assertThat(outcome.rows()).containsEntry("concept", 48L).containsEntry("description", 104L)
                .containsEntry("language_member", 104L).containsEntry("relationship", 50L)
                .containsEntry("refset_member", 16L).containsEntry("association", 4L);
        assertThat(db.count("select count(*) from snomed.concept where not active")).isEqualTo(3);
        assertThat(db.count("select count(*) from snomed.language_member where acceptability_id = 900000000000549004"))
                .isEqualTo(8);
        assertThat(db.count("select release_id from snomed.current_release")).isEqualTo(outcome.releaseId());
        assertThat(new SnomedReleaseReader(db.dataSource()).current()).get()
                .satisfies(r -> {
                    assertThat(r.isComplete()).isTrue();
                    assertThat(r.effectiveTime()).isEqualTo(20250101);
                    assertThat(r.label()).isEqualTo("SnomedCT_CharnwoodSyntheticRF2_ZZ9999999_20250101");
                });
    }

    @Test
    void loadingTheSameReleaseAgainChangesNothing() {
        ImportOutcome first = importer().load(List.of(TerminologyTestDatabase.syntheticSample()));
        ImportOutcome second = importer().load(List.of(TerminologyTestDatabase.syntheticSample()));

        assertThat(second.unchanged()).isTrue();
        assertThat(second.releaseId()).isEqualTo(first.releaseId());
        assertThat(db.count("select count(*) from snomed.release")).isEqualTo(1);
        assertThat(db.count("select count(*) from snomed.concept")).isEqualTo(48);
    }

    @Test
    void aNewReleaseReplacesTheServedOneAndItsPartitionsAreDropped() {
        ImportOutcome mini = importer().load(List.of(TerminologyTestDatabase.miniSample()));
        ImportOutcome synthetic = importer().load(List.of(TerminologyTestDatabase.syntheticSample()));

        assertThat(synthetic.releaseId()).isNotEqualTo(mini.releaseId());
        assertThat(db.count("select release_id from snomed.current_release")).isEqualTo(synthetic.releaseId());
        assertThat(db.count("select count(*) from snomed.release")).isEqualTo(1);
        assertThat(db.count("select count(*) from pg_tables where schemaname = 'snomed' and tablename like '%_r"
                + mini.releaseId() + "'")).isZero();
        assertThat(db.count("select count(*) from snomed.concept")).isEqualTo(48);
    }

    @Test
    void loadsConcreteValuesAndKeepsOnlyInferredRelationshipsOfTheMiniRelease() {
        ImportOutcome outcome = importer().load(List.of(TerminologyTestDatabase.miniSample()));

        assertThat(outcome.rows()).containsEntry("concept", 13L).containsEntry("concrete_value", 5L)
                .containsEntry("relationship", 10L).containsEntry("language_member", 2L);
    }

    @Test
    void loadsTwoReleasesTogetherAsOneEdition() {
        // The two samples share a few metadata concepts; the later row of a concept wins, as in a snapshot.
        ImportOutcome outcome = importer().load(List.of(TerminologyTestDatabase.miniSample(),
                TerminologyTestDatabase.syntheticSample()));

        assertThat(outcome.label()).contains("MiniRF2").contains("Synthetic");
        assertThat(db.count("select count(*) from snomed.concept")).isEqualTo(
                db.count("select count(distinct id) from snomed.concept"));
        assertThat(db.count("select count(*) from snomed.concept where id = 871866001")).isEqualTo(1);
        assertThat(db.count("select count(*) from snomed.concept where id = 10109999999103")).isEqualTo(1);
    }

    @Test
    void reportsProgressFileByFile() {
        List<String> seen = new ArrayList<>();
        new SnomedImporter(db.dataSource(), new ImportListener() {
            @Override
            public void fileFinished(ReleaseFiles.Rf2File file, long rowsRead, long rowsStored) {
                seen.add(file.kind() + ":" + rowsRead);
            }
        }).load(List.of(TerminologyTestDatabase.syntheticSample()));

        assertThat(seen).contains("CONCEPT:48", "DESCRIPTION:104", "RELATIONSHIP:50", "LANGUAGE:104",
                "SIMPLE_REFSET:16", "ASSOCIATION:4");
    }

    @Test
    void loadsTheDemoCodeListAsAPartialRelease() {
        ImportOutcome outcome = importer().loadCodeList(DemoCodes.LABEL, DemoCodes.load());
        SnomedRelease release = new SnomedReleaseReader(db.dataSource()).read();

        assertThat(release.release().isComplete()).isFalse();
        assertThat(release.size()).isEqualTo(DemoCodes.load().size());
        assertThat(release.display(44054006L)).contains("Type 2 diabetes mellitus");
        assertThat(release.search(SearchRequest.of("type 2 diab", 5))).first()
                .extracting(SearchHit::conceptId).isEqualTo(44054006L);
        assertThat(importer().loadCodeList(DemoCodes.LABEL, DemoCodes.load()).unchanged()).isTrue();
        assertThat(outcome.rows()).containsEntry("concept", (long) release.size());
    }
}
