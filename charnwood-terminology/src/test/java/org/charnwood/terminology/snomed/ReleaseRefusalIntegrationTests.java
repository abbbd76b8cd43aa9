package org.charnwood.terminology.snomed;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.testing.TerminologyTestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every kind of bad release is refused with the file and line of the problem, and the release being served
 * (the mini sample, loaded first) is untouched.
 */
class ReleaseRefusalIntegrationTests {

    private static final String CONCEPT = "sct2_Concept_Snapshot_ZZ9999999_20250101.txt";
    private static final String DESCRIPTION = "sct2_Description_Snapshot-en_ZZ9999999_20250101.txt";
    private static final String RELATIONSHIP = "sct2_Relationship_Snapshot_ZZ9999999_20250101.txt";
    private static final String LANGUAGE = "der2_cRefset_LanguageSnapshot-en_ZZ9999999_20250101.txt";

    private final TerminologyTestDatabase db = TerminologyTestDatabase.get();
    private int served;

    @TempDir
    Path temp;

    @BeforeEach
    void serveTheMiniRelease() {
        db.reset();
        served = importer().load(List.of(TerminologyTestDatabase.miniSample())).releaseId();
    }

    private SnomedImporter importer() {
        return new SnomedImporter(db.dataSource(), ImportListener.NONE);
    }

    /** A copy of the synthetic sample with one file's lines changed. */
    private Path sampleWith(String fileName, UnaryOperator<List<String>> change) throws IOException {
        Path source = TerminologyTestDatabase.syntheticSample();
        Path copy = temp.resolve(source.getFileName().toString());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                if (file.getFileName().toString().equals(fileName)) {
                    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
                    List<String> changed = change.apply(lines);
                    if (changed != null) {
                        Files.write(target, changed, StandardCharsets.UTF_8);
                    }
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    private static UnaryOperator<List<String>> replaceLine(int lineNumber, String from, String to) {
        return lines -> {
            lines.set(lineNumber - 1, lines.get(lineNumber - 1).replace(from, to));
            return lines;
        };
    }

    private void assertRefused(Path release, String... messageParts) {
        assertThatThrownBy(() -> importer().load(List.of(release)))
                .isInstanceOf(FhirException.class)
                .satisfies(e -> {
                    FhirException f = (FhirException) e;
                    assertThat(f.status()).isEqualTo(422);
                    assertThat(f.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                            .isEqualTo(ErrorCode.TERMINOLOGY_RELEASE_REFUSED.code());
                    assertThat(f.getMessage()).contains(messageParts);
                });
        assertThat(db.count("select release_id from snomed.current_release")).isEqualTo(served);
        assertThat(db.count("select count(*) from snomed.release")).isEqualTo(1);
        assertThat(db.count("select count(*) from snomed.concept")).isEqualTo(13);
        assertThat(db.count("select count(*) from pg_tables where schemaname = 'snomed' and tablename like 'concept_r%'"))
                .isEqualTo(1);
    }

    @Test
    void refusesAWrongHeader() throws IOException {
        assertRefused(sampleWith(CONCEPT, replaceLine(1, "definitionStatusId", "definitionStatus")),
                CONCEPT, "line 1", "header");
    }

    @Test
    void refusesATruncatedRow() throws IOException {
        assertRefused(sampleWith(DESCRIPTION, lines -> {
            String last = lines.get(lines.size() - 1);
            lines.set(lines.size() - 1, last.substring(0, last.indexOf("\t900000000000013009")));
            return lines;
        }), DESCRIPTION, "line 105", "columns");
    }

    @Test
    void refusesABadCheckDigit() throws IOException {
        assertRefused(sampleWith(CONCEPT, replaceLine(3, "10029999999109", "10029999999108")),
                CONCEPT, "line 3", "10029999999108", "not a valid SCTID");
    }

    @Test
    void refusesABadActiveFlag() throws IOException {
        assertRefused(sampleWith(RELATIONSHIP, replaceLine(4, "\t20250101\t1\t", "\t20250101\tyes\t")),
                RELATIONSHIP, "line 4", "active");
    }

    @Test
    void refusesABadEffectiveTime() throws IOException {
        assertRefused(sampleWith(CONCEPT, replaceLine(5, "\t20250101\t", "\t2025-01-01\t")),
                CONCEPT, "line 5", "effectiveTime");
    }

    @Test
    void refusesADescriptionOfAConceptThatDoesNotExist() throws IOException {
        // 10109999999103 (a disorder) is swapped for a well-formed id that is not in the release.
        long missing = Sctid.of(4242, 9999999, Sctid.Partition.CONCEPT);
        assertRefused(sampleWith(DESCRIPTION, lines -> {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("\t10109999999103\t")) {
                    lines.set(i, lines.get(i).replace("\t10109999999103\t", "\t" + missing + "\t"));
                    return lines;
                }
            }
            throw new AssertionError("sample changed");
        }), DESCRIPTION, "conceptId " + missing, "is not a concept");
    }

    @Test
    void refusesARelationshipToAConceptThatDoesNotExist() throws IOException {
        long missing = Sctid.of(4343, 9999999, Sctid.Partition.CONCEPT);
        assertRefused(sampleWith(RELATIONSHIP, replaceLine(2, "\t138875005\t", "\t" + missing + "\t")),
                RELATIONSHIP, "line 2", "destinationId " + missing);
    }

    @Test
    void refusesALanguageRowForAnUnknownDescription() throws IOException {
        long missing = Sctid.of(4444, 9999999, Sctid.Partition.DESCRIPTION);
        assertRefused(sampleWith(LANGUAGE, lines -> {
            String[] fields = lines.get(1).split("\t");
            lines.set(1, lines.get(1).replace("\t" + fields[5] + "\t", "\t" + missing + "\t"));
            return lines;
        }), LANGUAGE, "line 2", "not a description");
    }

    @Test
    void refusesAReleaseWithoutRelationships() throws IOException {
        assertRefused(sampleWith(RELATIONSHIP, lines -> null), "required RF2 file missing", "sct2_Relationship_");
    }

    @Test
    void refusesAConceptIdInTheDescriptionPartition() throws IOException {
        long description = Sctid.of(4545, 9999999, Sctid.Partition.DESCRIPTION);
        assertRefused(sampleWith(CONCEPT, replaceLine(3, "10029999999109", Long.toString(description))),
                CONCEPT, "line 3", "is not a concept id");
    }

    @Test
    void refusesAMissingReleaseFolder() {
        assertThatThrownBy(() -> importer().load(List.of(temp.resolve("nowhere"))))
                .isInstanceOf(FhirException.class).hasMessageContaining("does not exist");
    }
}
