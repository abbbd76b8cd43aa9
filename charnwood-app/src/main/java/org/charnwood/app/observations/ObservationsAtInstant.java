package org.charnwood.app.observations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
 * observations of other patients; those (and times without a zone) are left to the search.
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

    /** The span an effective time with a time of day covers, both ends inclusive, as the date index holds it. */
    record Span(Instant lo, Instant hi) {
    }

    /**
     * The span of a dateTime with seconds (and perhaps a fraction) and a zone: a whole second, or as much of it
     * as the fraction's digits leave open ({@code .5} is a tenth of a second), down to the microseconds that
     * the index keeps. Null for anything coarser, or without a zone: those are left to the search.
     */
    static Span spanOf(String when) {
        int time = when.indexOf('T');
        if (time < 0) {
            return null;
        }
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(when);
        } catch (DateTimeParseException e) {
            return null;
        }
        int dot = when.indexOf('.', time);
        int digits = 0;
        while (dot >= 0 && dot + 1 + digits < when.length() && Character.isDigit(when.charAt(dot + 1 + digits))) {
            digits++;
        }
        long stepMicros = (long) Math.pow(10, 6 - Math.min(digits, 6));
        Instant lo = at.toInstant().truncatedTo(ChronoUnit.MICROS);
        return new Span(lo, lo.plus(stepMicros - 1, ChronoUnit.MICROS));
    }

    /**
     * Keys of the patient's Observations (not deleted) whose effective time lies wholly within the span, as
     * {@code date=eq} defines it; at most {@code limit}, in key order.
     */
    static List<Long> keys(Connection c, String patientId, Span span, int limit) throws SQLException {
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
