package org.charnwood.terminology.snomed;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads the served release from the database into a {@link SnomedRelease}. Rows are streamed (a cursor inside
 * a read-only transaction), so building needs memory for the arrays only, not for the result sets.
 */
public final class SnomedReleaseReader {

    private static final Logger log = LoggerFactory.getLogger(SnomedReleaseReader.class);
    private static final int FETCH = 10_000;

    private final DataSource dataSource;

    public SnomedReleaseReader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The release served now, or empty when none has been loaded. */
    public Optional<TerminologyRelease> current() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement q = c.prepareStatement("""
                     select r.release_id, r.label, r.effective_time, r.complete
                     from snomed.current_release cr join snomed.release r using (release_id)""");
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? Optional.of(new TerminologyRelease(rs.getInt(1), rs.getString(2), rs.getInt(3),
                    rs.getBoolean(4))) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("reading the current SNOMED CT release failed", e);
        }
    }

    /** Builds the in-memory index of the release served now. */
    public SnomedRelease read() {
        TerminologyRelease release = current().orElseThrow(() -> FhirException.of(503,
                ErrorCode.TERMINOLOGY_NOT_LOADED, IssueType.NOTFOUND, "no SNOMED CT release has been loaded"));
        long started = System.nanoTime();
        int id = release.releaseId();
        SnomedRelease.Builder b = new SnomedRelease.Builder(release);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                stream(c, "select id, active, module_id, effective_time, definition_status_id from snomed.concept"
                        + " where release_id = ? order by id", id,
                        rs -> b.concept(rs.getLong(1), rs.getBoolean(2), rs.getLong(3), rs.getInt(4),
                                rs.getLong(5) == SnomedIds.DEFINED));
                stream(c, "select source_id, destination_id, type_id, rel_group from snomed.relationship"
                        + " where release_id = ? and active", id,
                        rs -> b.relationship(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4)));
                stream(c, "select source_id, type_id, value, rel_group from snomed.concrete_value"
                        + " where release_id = ? and active", id,
                        rs -> b.concreteValue(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4)));
                stream(c, "select refset_id, referenced_component_id from snomed.refset_member where release_id = ?",
                        id, rs -> b.refsetMember(rs.getLong(1), rs.getLong(2)));
                stream(c, "select refset_id, source_id, target_id from snomed.association where release_id = ?", id,
                        rs -> b.association(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
                // Descriptions are numbered shortest term first, so that typeahead can walk candidates in rank
                // order and stop early. min() picks preferred over acceptable (900000000000548007 < 900000000000549004) when a
                // description is listed twice in one language refset.
                stream(c, """
                        select d.id, d.concept_id, d.type_id, d.language_code, d.term, gb.a, us.a
                        from snomed.description d
                        left join (select description_id, min(acceptability_id) a from snomed.language_member
                                   where release_id = ? and refset_id = 900000000000508004 group by description_id) gb
                               on gb.description_id = d.id
                        left join (select description_id, min(acceptability_id) a from snomed.language_member
                                   where release_id = ? and refset_id = 900000000000509007 group by description_id) us
                               on us.description_id = d.id
                        where d.release_id = ? and d.active
                        order by length(d.term), lower(d.term) collate "C", d.id""", id,
                        rs -> b.description(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6), rs.getLong(7)));
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading SNOMED CT release " + id + " failed", e);
        }
        SnomedRelease built = b.build();
        log.info("SNOMED CT release {} ({}) in memory: {} concepts, {} words indexed, about {} MB, in {} ms",
                id, release.label(), built.size(), built.search().vocabularySize(),
                built.approximateBytes() >> 20, (System.nanoTime() - started) / 1_000_000);
        return built;
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private static void stream(Connection c, String sql, int releaseId, RowHandler handler) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setFetchSize(FETCH);
            int parameters = q.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= parameters; i++) {
                q.setInt(i, releaseId);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }
}
