package org.charnwood.app.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * Walks the audit chain in seq order, recomputing every hash, and stops at the first row that does not
 * follow from the one before: changed content, a changed searched column, a row removed or inserted, or a
 * patient index row that disagrees with its event. Removing rows from the end of the chain is not
 * visible in the chain itself; the verification reports the last seq and hash so they can be compared with a
 * previous report.
 */
public final class ChainVerifier {

    /** What the walk found; {@code brokenAt} is null when the chain is whole. */
    public record Result(long rows, Long brokenAt, String problem, Long lastSeq, String lastHash) {
        public boolean intact() {
            return brokenAt == null;
        }
    }

    private ChainVerifier() {
    }

    public static Result verify(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
        try (PreparedStatement anchor = c.prepareStatement(
                "select purged_through, last_hash from audit.purge order by purged_through desc limit 1");
             PreparedStatement events = c.prepareStatement("""
                     select seq, recorded, type, subtype, action, outcome, who, purpose, patients, content, prev_hash, hash
                       from audit.event order by seq""");
             PreparedStatement index = c.prepareStatement("""
                     select seq, string_agg(patient, ',' order by patient collate "C") from audit.event_patient
                      group by seq order by seq""")) {
            byte[] previous = AuditChain.GENESIS;
            long floor = Long.MIN_VALUE;
            try (ResultSet rs = anchor.executeQuery()) {
                if (rs.next()) {
                    floor = rs.getLong(1);
                    previous = rs.getBytes(2);
                }
            }
            events.setFetchSize(1000);
            index.setFetchSize(1000);
            long rows = 0;
            Long lastSeq = null;
            try (ResultSet ev = events.executeQuery(); ResultSet ix = index.executeQuery()) {
                boolean ixMore = ix.next();
                while (ev.next()) {
                    rows++;
                    long seq = ev.getLong(1);
                    if (seq <= floor) {
                        return new Result(rows, seq, "row survives below the purge anchor", lastSeq, hex(previous));
                    }
                    String patients = ev.getString(9);
                    byte[] prev = ev.getBytes(11);
                    byte[] hash = ev.getBytes(12);
                    if (!Arrays.equals(prev, previous)) {
                        return new Result(rows, seq, "does not chain from the row before it (a row was removed,"
                                + " inserted or changed before it)", lastSeq, hex(previous));
                    }
                    byte[] expected = AuditChain.hash(prev, seq, ev.getObject(2, OffsetDateTime.class).toInstant(),
                            ev.getString(3), ev.getString(4), ev.getString(5), ev.getInt(6), ev.getString(7),
                            ev.getString(8), patients, ev.getString(10));
                    if (!Arrays.equals(expected, hash)) {
                        return new Result(rows, seq, "content does not match its hash (the row was changed)",
                                lastSeq, hex(previous));
                    }
                    // The patient index must say exactly what the (hashed) row says.
                    if (ixMore && ix.getLong(1) < seq) {
                        return new Result(rows, ix.getLong(1), "patient index names an event that does not exist",
                                lastSeq, hex(previous));
                    }
                    String indexed = ixMore && ix.getLong(1) == seq ? ix.getString(2) : null;
                    if (!java.util.Objects.equals(indexed, patients)) {
                        return new Result(rows, seq, "patient index disagrees with the event", lastSeq,
                                hex(previous));
                    }
                    if (indexed != null) {
                        ixMore = ix.next();
                    }
                    previous = hash;
                    lastSeq = seq;
                }
                if (ixMore) {
                    return new Result(rows, ix.getLong(1), "patient index names an event that does not exist",
                            lastSeq, hex(previous));
                }
            }
            return new Result(rows, null, null, lastSeq, hex(previous));
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private static String hex(byte[] b) {
        return b == null ? null : java.util.HexFormat.of().formatHex(b);
    }
}
