package org.charnwood.app.observations;

import org.charnwood.fhir.search.DateRange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a patient's Observations whose effective time is one instant (to the second or finer), starting from the
 * instant rather than from the patient. The search {@code Observation?subject=…&date=eq…} gives the same answer,
 * but PostgreSQL cannot tell which of its two conditions is the narrow one: it estimates one row for each and
 * usually starts from the patient, reading every observation they ever had (thousands, for someone with years of
 * vital signs) to keep the few taken at that moment. Across the whole store only a handful of observations share
 * an exact second, so the instant's index rows are read first (materialised, so the planner keeps that order)
 * and each is checked for the patient. Effective times of a day or coarser precision could match a great many
 * observations of other patients; those are left to the search.
 */
final class ObservationsAtInstant {

    private static final String SQL = """
            with at_instant as materialized (
                select d.res_pk from idx_date d
                 where d.res_type = 'Observation' and d.param = 'date' and d.lo >= ? and d.lo <= ? and d.hi <= ?)
            select r.res_pk from at_instant a join fhir_resource r on r.res_pk = a.res_pk and not r.deleted
             where exists (select 1 from idx_reference x
                            where x.res_pk = a.res_pk and x.res_type = 'Observation' and x.param = 'subject'
                              and x.target_type = 'Patient' and x.target_id = ?)
             group by r.res_pk order by r.res_pk limit ?""";

    private ObservationsAtInstant() {
    }

    /**
     * The span a time of day covers, both ends inclusive, exactly as {@code date=eq} reads it ({@link DateRange}: a
     * whole second, or as much of it as a fraction's digits leave open). Null for a date without a time, and for
     * text that is not a date: those are left to the search.
     */
    static DateRange spanOf(String when) {
        if (when.indexOf('T') < 0) {
            return null;
        }
        try {
            return DateRange.parse(when);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Keys of the patient's Observations (not deleted) whose effective time lies wholly within the span, as
     * {@code date=eq} defines it; at most {@code limit}, in key order.
     */
    static List<Long> keys(Connection c, String patientId, DateRange span, int limit) throws SQLException {
        OffsetDateTime from = OffsetDateTime.ofInstant(span.lo(), ZoneOffset.UTC);
        OffsetDateTime to = OffsetDateTime.ofInstant(span.hi(), ZoneOffset.UTC);
        List<Long> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setObject(1, from);
            ps.setObject(2, to);
            ps.setObject(3, to);
            ps.setString(4, patientId);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
        }
        return keys;
    }
}
