package org.charnwood.app.terminology.serving;

import org.charnwood.terminology.dmd.DmdImporter;
import org.charnwood.terminology.dmd.DmdRelease;
import org.charnwood.terminology.dmd.DmdReleaseFiles;
import org.charnwood.terminology.snomed.DemoCodes;
import org.charnwood.terminology.snomed.ImportListener;
import org.charnwood.terminology.snomed.SnomedIds;
import org.charnwood.terminology.snomed.SnomedImporter;
import org.charnwood.terminology.snomed.SnomedReleaseReader;
import org.charnwood.terminology.snomed.TerminologyRelease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.FileSystemUtils;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Loads the samples shipped in {@code charnwood-terminology}: the synthetic SNOMED CT snapshot (a small coherent
 * hierarchy for ECL and subsumption) with the demo code list merged into the same release (the real codes the
 * demo data uses, without hierarchy), and the dm+d extract. The merged release is marked partial, so binding
 * checks warn about codes it lacks instead of refusing them. Nothing is loaded where a release is already served.
 */
public final class SampleReleases {

    private static final Logger log = LoggerFactory.getLogger(SampleReleases.class);
    static final String SAMPLE_FOLDER = "SnomedCT_CharnwoodSyntheticRF2_ZZ9999999_20250101";
    private static final String SAMPLE_PATTERN = "classpath*:terminology/snomed-sample/" + SAMPLE_FOLDER + "/**/*.txt";
    private static final long CORE_MODULE = 900000000000207008L;
    private static final long CASE_INSENSITIVE = 900000000000448009L;

    private final DataSource dataSource;

    public SampleReleases(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void loadWhereNothingIsServed() {
        Optional<TerminologyRelease> served = new SnomedReleaseReader(dataSource).current();
        if (served.isEmpty()) {
            Path copy = copySampleToDisk();
            try {
                new SnomedImporter(dataSource, ImportListener.NONE).load(List.of(copy.resolve(SAMPLE_FOLDER)));
            } finally {
                deleteCopy(copy);
            }
            served = new SnomedReleaseReader(dataSource).current();
        }
        // A sample load cut short before the merge is finished here on the next start.
        if (served.isPresent() && served.get().isComplete() && served.get().label().contains("ZZ9999999")) {
            mergeDemoCodes(served.get().releaseId());
        }
        if (DmdRelease.serving(dataSource).isEmpty()) {
            new DmdImporter(dataSource).importRelease(DmdReleaseFiles.sample());
        }
    }

    /**
     * The importer reads folders; the sample is on the class path (inside a jar when packaged). Returns the
     * temporary folder holding the copy, which the caller deletes once the import has read it.
     */
    private static Path copySampleToDisk() {
        try {
            Path root = Files.createTempDirectory("charnwood-snomed-sample");
            Resource[] files = new PathMatchingResourcePatternResolver().getResources(SAMPLE_PATTERN);
            for (Resource file : files) {
                String url = file.getURL().toString();
                String relative = url.substring(url.indexOf(SAMPLE_FOLDER));
                Path target = root.resolve(relative);
                Files.createDirectories(target.getParent());
                try (InputStream in = file.getInputStream()) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("copying the SNOMED CT sample failed", e);
        }
    }

    /** Every start without a release would otherwise leave a copy of the sample behind in the temporary folder. */
    private static void deleteCopy(Path root) {
        try {
            FileSystemUtils.deleteRecursively(root);
        } catch (IOException e) {
            log.warn("the temporary copy of the SNOMED CT sample could not be removed: {}", e.getClass().getName());
        }
    }

    /**
     * Adds the demo code list to the sample release in place, the way the importer stores a code list (one en-GB
     * preferred synonym per code, negative description ids that cannot clash with real ones), and marks the
     * release partial. Codes the sample already has keep the sample's rows.
     */
    private void mergeDemoCodes(int releaseId) {
        List<SnomedImporter.CodeListEntry> codes = DemoCodes.load();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement concept = c.prepareStatement("""
                    insert into snomed.concept (release_id, id, effective_time, active, module_id, definition_status_id)
                    select ?, ?, 0, true, ?, ? where not exists
                      (select 1 from snomed.concept where release_id = ? and id = ?)""");
                 PreparedStatement description = c.prepareStatement("""
                    insert into snomed.description (release_id, id, effective_time, active, module_id, concept_id,
                      language_code, type_id, term, case_significance_id)
                    select ?, ?, 0, true, ?, ?, 'en', ?, ?, ? where not exists
                      (select 1 from snomed.description where release_id = ? and concept_id = ?)""");
                 PreparedStatement language = c.prepareStatement("""
                    insert into snomed.language_member (release_id, refset_id, description_id, acceptability_id)
                    select ?, ?, ?, ? where not exists
                      (select 1 from snomed.language_member where release_id = ? and description_id = ?)
                      and exists (select 1 from snomed.description where release_id = ? and id = ?)""")) {
                for (SnomedImporter.CodeListEntry code : codes) {
                    long id = code.conceptId();
                    concept.setInt(1, releaseId);
                    concept.setLong(2, id);
                    concept.setLong(3, CORE_MODULE);
                    concept.setLong(4, SnomedIds.PRIMITIVE);
                    concept.setInt(5, releaseId);
                    concept.setLong(6, id);
                    concept.addBatch();
                    description.setInt(1, releaseId);
                    description.setLong(2, -id);
                    description.setLong(3, CORE_MODULE);
                    description.setLong(4, id);
                    description.setLong(5, SnomedIds.SYNONYM);
                    description.setString(6, code.display());
                    description.setLong(7, CASE_INSENSITIVE);
                    description.setInt(8, releaseId);
                    description.setLong(9, id);
                    description.addBatch();
                    language.setInt(1, releaseId);
                    language.setLong(2, SnomedIds.GB_ENGLISH);
                    language.setLong(3, -id);
                    language.setLong(4, SnomedIds.PREFERRED);
                    language.setInt(5, releaseId);
                    language.setLong(6, -id);
                    language.setInt(7, releaseId);
                    language.setLong(8, -id);
                    language.addBatch();
                }
                concept.executeBatch();
                description.executeBatch();
                language.executeBatch();
                try (PreparedStatement release = c.prepareStatement(
                        "update snomed.release set complete = false, label = label || ' + demo code list (partial)'"
                                + " where release_id = ?")) {
                    release.setInt(1, releaseId);
                    release.executeUpdate();
                }
                c.commit();
                log.info("SNOMED CT sample release {} served with the {} codes of the demo code list (partial)",
                        releaseId, codes.size());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("merging the demo code list into the SNOMED CT sample failed", e);
        }
    }
}
