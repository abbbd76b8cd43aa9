package org.charnwood.terminology.snomed;

import org.charnwood.terminology.testing.TerminologyTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SnomedMapsIntegrationTests {

    private final TerminologyTestDatabase db = TerminologyTestDatabase.get();

    @TempDir
    Path temp;

    /** The synthetic sample plus a CTV3 simple map and a Read v2 complex map written here. */
    private Path sampleWithMaps() throws IOException {
        Path source = TerminologyTestDatabase.syntheticSample();
        Path copy = temp.resolve("release");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        Path maps = Files.createDirectories(copy.resolve("Snapshot/Refset/Map"));
        Files.writeString(maps.resolve("der2_sRefset_SimpleMapSnapshot_ZZ9999999_20250101.txt"), """
                id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\tmapTarget\r
                a1\t20250101\t1\t10019999999102\t900000000000497000\t10109999999103\tXa0A1\r
                a2\t20250101\t1\t10019999999102\t900000000000497000\t10119999999101\tXa0A1\r
                a3\t20250101\t0\t10019999999102\t900000000000497000\t10129999999108\tXa0A2\r
                """);
        Files.writeString(maps.resolve("der2_iisssccRefset_ComplexMapSnapshot_ZZ9999999_20250101.txt"), """
                id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\tmapGroup\tmapPriority\tmapRule\tmapAdvice\tmapTarget\tcorrelationId\r
                b1\t20250101\t1\t10019999999102\t999001261000000100\t10109999999103\t1\t1\tTRUE\tALWAYS G30..\tG30..\t447561005\r
                """);
        return copy;
    }

    @Test
    void findsMapTargetsOfAConceptAndConceptsOfATarget() throws IOException {
        db.reset();
        ImportOutcome outcome = new SnomedImporter(db.dataSource(), ImportListener.NONE).load(List.of(sampleWithMaps()));
        assertThat(outcome.rows()).containsEntry("map_member", 3L);
        SnomedMaps maps = new SnomedMaps(db.dataSource());

        assertThat(maps.targets(10109999999103L)).containsExactly(
                new MapTarget(900000000000497000L, 10109999999103L, "Xa0A1", null, null, null, null, null),
                new MapTarget(999001261000000100L, 10109999999103L, "G30..", 1, 1, "TRUE", "ALWAYS G30..", 447561005L));
        assertThat(maps.sources(900000000000497000L, "Xa0A1")).extracting(MapTarget::conceptId)
                .containsExactly(10109999999103L, 10119999999101L);
        assertThat(maps.sources(900000000000497000L, "Xa0A2")).isEmpty();
    }

    @Test
    void servesConcreteValuesAndFallbackNamesOfTheMiniRelease() {
        db.reset();
        new SnomedImporter(db.dataSource(), ImportListener.NONE).load(List.of(TerminologyTestDatabase.miniSample()));
        SnomedRelease release = new SnomedReleaseReader(db.dataSource()).read();

        int vaccine = release.index(871866001L);
        assertThat(release.concreteValues(vaccine)).extracting(v -> v.value())
                .containsExactlyInAnyOrder(1, new BigDecimal("2.2"), 3);
        assertThat(release.concreteValues(vaccine)).allSatisfy(v ->
                assertThat(release.conceptId(v.type())).isEqualTo(3311486008L));
        assertThat(release.concreteValues(release.index(362969004L))).extracting(v -> v.value())
                .containsExactlyInAnyOrder("Before bed", "Daily");
        // No language refset row and no FSN: the synonym is the preferred term and is searchable.
        assertThat(release.preferredTerm(vaccine)).isEqualTo("Meningitis C vaccine");
        assertThat(release.search(SearchRequest.of("mening", 5))).extracting(SearchHit::conceptId)
                .containsExactly(871866001L);
        // Only an FSN: the preferred term is the FSN without its semantic tag.
        assertThat(release.display(404684003L)).contains("Clinical finding");
        assertThat(release.concept(404684003L).orElseThrow().fullySpecifiedName()).isEqualTo("Clinical finding (finding)");
        assertThat(release.subsumption(404684003L, 362969004L)).isEqualTo(Subsumption.SUBSUMES);
    }
}
