package org.charnwood.app.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Walks the audit rows in seq order, recomputing every hash, and stops at the first row that does not
 * follow from the one before it on its chain (writes and the like on chain 0, reads on chain 1): changed
 * content, a changed searched column, a row removed, inserted or moved to the other chain, or a patient
 * index row that disagrees with its event. Removing rows from the end of a chain is not visible in the chain
 * itself; the verification reports each chain's last seq and hash so they can be compared with a previous
 * report.
 */
public final class ChainVerifier {

    /** Where one chain ends: its last row that checked out. */
    public record Tail(int chain, long lastSeq, String lastHash) {
    }

    /**
     * What the walk found; {@code brokenAt} is null when every chain is whole. {@code lastSeq} and
     * {@code lastHash} are those of the last row checked on any chain; {@code tails} gives each chain's.
     */
    public record Result(long rows, Long brokenAt, String problem, Long lastSeq, String lastHash, List<Tail> tails) {
        public boolean intact() {
            return brokenAt == null;
        }
    }

    private ChainVerifier() {
    }

    public static Result verify(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
        try (PreparedStatement anchor = c.prepareStatement("""
                     select distinct on (chain) chain, purged_through, last_hash from audit.purge
                      order by chain, purged_through desc""");
             PreparedStatement events = c.prepareStatement("""
                     select seq, recorded, type, subtype, action, outcome, who, purpose, patients, content, prev_hash,
                            hash, chain
                       from audit.event order by seq""");
             PreparedStatement index = c.prepareStatement("""
                     select seq, string_agg(patient, ',' order by patient collate "C") from audit.event_patient
                      group by seq order by seq""")) {
            // Each chain's previous hash (its anchor after a purge, else the genesis) and last good row.
            Map<Integer, byte[]> previous = new TreeMap<>();
            Map<Integer, Long> last = new TreeMap<>();
            long floor = Long.MIN_VALUE;
            try (ResultSet rs = anchor.executeQuery()) {
                while (rs.next()) {
                    previous.put(rs.getInt(1), rs.getBytes(3));
                    floor = Math.max(floor, rs.getLong(2));
                }
            }
            events.setFetchSize(1000);
            index.setFetchSize(1000);
            long rows = 0;
            Long lastSeq = null;
            byte[] lastHash = null;
            try (ResultSet ev = events.executeQuery(); ResultSet ix = index.executeQuery()) {
                boolean ixMore = ix.next();
                while (ev.next()) {
                    rows++;
                    long seq = ev.getLong(1);
                    int chain = ev.getInt(13);
                    byte[] before = previous.getOrDefault(chain, AuditChain.GENESIS);
                    if (seq <= floor) {
                        return broken(rows, seq, "row survives below the purge anchor", lastSeq, lastHash, previous,
                                last);
                    }
                    String patients = ev.getString(9);
                    byte[] prev = ev.getBytes(11);
                    byte[] hash = ev.getBytes(12);
                    if (!Arrays.equals(prev, before)) {
                        return broken(rows, seq, "does not chain from the row before it on chain " + chain
                                + " (a row was removed, inserted, moved or changed before it)", lastSeq, lastHash,
                                previous, last);
                    }
                    byte[] expected = AuditChain.hash(prev, seq, ev.getObject(2, OffsetDateTime.class).toInstant(),
                            ev.getString(3), ev.getString(4), ev.getString(5), ev.getInt(6), ev.getString(7),
                            ev.getString(8), patients, ev.getString(10));
                    if (!Arrays.equals(expected, hash)) {
                        return broken(rows, seq, "content does not match its hash (the row was changed)", lastSeq,
                                lastHash, previous, last);
                    }
                    // The patient index must say exactly what the (hashed) row says.
                    if (ixMore && ix.getLong(1) < seq) {
                        return broken(rows, ix.getLong(1), "patient index names an event that does not exist",
                                lastSeq, lastHash, previous, last);
                    }
                    String indexed = ixMore && ix.getLong(1) == seq ? ix.getString(2) : null;
                    if (!java.util.Objects.equals(indexed, patients)) {
                        return broken(rows, seq, "patient index disagrees with the event", lastSeq, lastHash,
                                previous, last);
                    }
                    if (indexed != null) {
                        ixMore = ix.next();
                    }
                    previous.put(chain, hash);
                    last.put(chain, seq);
                    lastSeq = seq;
                    lastHash = hash;
                }
                if (ixMore) {
                    return broken(rows, ix.getLong(1), "patient index names an event that does not exist", lastSeq,
                            lastHash, previous, last);
                }
            }
            return new Result(rows, null, null, lastSeq, hex(lastHash), tails(previous, last));
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private static Result broken(long rows, long at, String problem, Long lastSeq, byte[] lastHash,
                                 Map<Integer, byte[]> previous, Map<Integer, Long> last) {
        return new Result(rows, at, problem, lastSeq, hex(lastHash), tails(previous, last));
    }

    private static List<Tail> tails(Map<Integer, byte[]> previous, Map<Integer, Long> last) {
        List<Tail> tails = new ArrayList<>();
        last.forEach((chain, seq) -> tails.add(new Tail(chain, seq, hex(previous.get(chain)))));
        return List.copyOf(tails);
    }

    private static String hex(byte[] b) {
        return b == null ? null : java.util.HexFormat.of().formatHex(b);
    }
}
