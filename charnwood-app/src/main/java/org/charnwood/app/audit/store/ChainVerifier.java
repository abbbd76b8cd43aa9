package org.charnwood.app.audit.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
 * itself: for that, every checkpoint the application published ({@link ChainCheckpoints}) must still be on its
 * chain, its row there with the hash it had, unless a purge has since removed it.
 *
 * <p>Each chain starts from the genesis or, after a retention purge, from the anchor the purge left in
 * {@code audit.purge}. An anchor is believed only as far as the chain vouches for it: the latest purge must be
 * recorded on chain 0 (the AuditEvent {@code audit.record_purge} appends, whose facts state every chain's anchor),
 * and every purge record still on the chain must match the anchors it left. Otherwise anyone able to delete rows
 * could remove a prefix and write an anchor over it.
 */
public final class ChainVerifier {

    /** The subtype of the AuditEvent that records a purge ({@code audit.record_purge}). */
    static final String PURGE_SUBTYPE = "audit-purge";

    /** Where one chain ends: its last row that checked out. */
    public record Tail(int chain, long lastSeq, String lastHash) {
    }

    /**
     * What the walk found; {@code brokenAt} is null when every chain is whole. {@code lastSeq} and
     * {@code lastHash} are those of the last row checked on any chain; {@code tails} gives each chain's.
     * {@code checkpoints} is how many published checkpoints were found still on their chains (those a purge
     * removed included).
     */
    public record Result(long rows, Long brokenAt, String problem, Long lastSeq, String lastHash, List<Tail> tails,
                         long checkpoints) {
        public boolean intact() {
            return brokenAt == null;
        }
    }

    /** Checkpoints looked up in one statement. */
    private static final int CHECKPOINT_BATCH = 1000;

    private ChainVerifier() {
    }

    /** Verifies the chains as the database holds them, with no published checkpoints to hold their ends to. */
    public static Result verify(Connection c) throws SQLException {
        return verify(c, List.of());
    }

    /**
     * Verifies the chains and holds their ends to the checkpoints in the given files (the application's checkpoint
     * file, or checkpoint lines taken from its log); a file that does not exist holds none.
     *
     * @throws UncheckedIOException when a file cannot be read: the chains cannot then be said to be whole
     */
    public static Result verify(Connection c, List<Path> checkpointFiles) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
        try (PreparedStatement anchor = c.prepareStatement("""
                     select chain, purged_through, last_hash, event_seq from audit.purge
                      order by purged_through, event_seq nulls first, chain""");
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
            List<Anchor> anchors = new ArrayList<>();
            try (ResultSet rs = anchor.executeQuery()) {
                while (rs.next()) {
                    Anchor a = new Anchor(rs.getInt(1), rs.getLong(2), rs.getBytes(3), rs.getObject(4, Long.class));
                    anchors.add(a);
                    previous.put(a.chain(), a.hash()); // in purge order, so each chain keeps its latest
                    floor = Math.max(floor, a.through());
                }
            }
            // The purge records the walk passes (chain 0 rows of subtype audit-purge): seq to content.
            Map<Long, String> purgeRecords = new TreeMap<>();
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
                    if (chain == 0 && PURGE_SUBTYPE.equals(ev.getString(4))) {
                        purgeRecords.put(seq, ev.getString(10));
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
                Problem purges = purgesOnRecord(anchors, purgeRecords);
                if (purges != null) {
                    return broken(rows, purges.at(), purges.text(), lastSeq, lastHash, previous, last);
                }
            }
            CheckpointCheck ends = new CheckpointCheck(c, floor);
            for (Path file : checkpointFiles) {
                try {
                    ChainCheckpoints.read(file, ends::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("audit checkpoints could not be read from " + file, e);
                } catch (UncheckedSqlException e) {
                    throw e.getCause();
                }
            }
            Problem cut = ends.finish();
            if (cut != null) {
                return new Result(rows, cut.at(), cut.text(), lastSeq, hex(lastHash), tails(previous, last),
                        ends.checked);
            }
            return new Result(rows, null, null, lastSeq, hex(lastHash), tails(previous, last), ends.checked);
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    /** One row of {@code audit.purge}: where a chain restarts after a purge, and the purge's record on chain 0. */
    private record Anchor(int chain, long through, byte[] hash, Long record) {
    }

    private record Problem(long at, String text) {
    }

    /**
     * Whether the anchors the walk started from are the ones the chain itself records: every purge record on
     * chain 0 left exactly the anchors it states; the latest purge has its record (which follows the purged prefix,
     * so no later purge can have removed it) and it restates the anchor of every chain; and no anchor names a record
     * that ought to be on the chain but is not. Null when they are.
     */
    private static Problem purgesOnRecord(List<Anchor> anchors, Map<Long, String> records) {
        for (Map.Entry<Long, String> r : records.entrySet()) {
            PurgeFacts stated = PurgeFacts.of(r.getValue());
            if (stated == null) {
                return new Problem(r.getKey(), "a purge record on chain 0 does not state what was purged");
            }
            Map<Integer, String> left = new TreeMap<>();
            for (Anchor a : anchors) {
                if (r.getKey().equals(a.record()) && a.through() == stated.through()) {
                    left.put(a.chain(), hex(a.hash()));
                }
            }
            if (!left.equals(stated.anchors())) {
                return new Problem(r.getKey(), "the purge anchors in audit.purge are not those its record on chain 0"
                        + " states (an anchor was changed, removed or added)");
            }
        }
        if (anchors.isEmpty()) {
            return null;
        }
        // The latest purge: the anchors written last (a purge restated as it stood keeps the seq it purged through).
        Anchor last = anchors.get(anchors.size() - 1);
        long latest = last.through();
        Long record = last.record();
        List<Anchor> newest = anchors.stream()
                .filter(a -> a.through() == latest && java.util.Objects.equals(a.record(), record)).toList();
        if (record == null || !records.containsKey(record)) {
            return new Problem(latest, "the purge through seq " + latest + " is not recorded on chain 0 (rows may"
                    + " have been removed behind a forged purge anchor)");
        }
        for (Anchor a : anchors) {
            if (newest.stream().noneMatch(n -> n.chain() == a.chain())) {
                return new Problem(latest, "chain " + a.chain() + " has an anchor that the latest purge record does"
                        + " not restate");
            }
            if (a.record() != null && a.record() > latest && !records.containsKey(a.record())) {
                return new Problem(a.through(), "the purge through seq " + a.through() + " names a record on chain 0"
                        + " (seq " + a.record() + ") that is not there");
            }
        }
        return null;
    }

    /** What a purge record's facts say it did: purged up to {@code through}, leaving each chain's anchor (hex). */
    private record PurgeFacts(long through, Map<Integer, String> anchors) {

        private static final ObjectMapper JSON = new ObjectMapper();

        static PurgeFacts of(String content) {
            try {
                JsonNode purge = JSON.readTree(content).path("purge");
                if (!purge.path("through").canConvertToLong() || !purge.path("anchors").isArray()) {
                    return null;
                }
                Map<Integer, String> anchors = new TreeMap<>();
                for (JsonNode a : purge.path("anchors")) {
                    anchors.put(a.path("chain").asInt(), a.path("hash").asText());
                }
                return new PurgeFacts(purge.path("through").asLong(), anchors);
            } catch (java.io.IOException e) {
                return null;
            }
        }
    }

    private static Result broken(long rows, long at, String problem, Long lastSeq, byte[] lastHash,
                                 Map<Integer, byte[]> previous, Map<Integer, Long> last) {
        return new Result(rows, at, problem, lastSeq, hex(lastHash), tails(previous, last), 0);
    }

    private static final class UncheckedSqlException extends RuntimeException {
        UncheckedSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /**
     * Looks the published checkpoints up, a batch at a time, and keeps the first that is no longer on its chain.
     * Each is checked, not just the latest: after rows are cut from the end, the chain can grow again from the
     * shorter end and a later checkpoint be whole, while the earlier one is not.
     */
    private static final class CheckpointCheck {

        private final Connection c;
        private final long floor;
        private final List<ChainCheckpoints.Checkpoint> batch = new ArrayList<>();
        private Problem problem;
        long checked;

        CheckpointCheck(Connection c, long floor) {
            this.c = c;
            this.floor = floor;
        }

        void add(ChainCheckpoints.Checkpoint checkpoint) {
            if (problem != null) {
                return;
            }
            batch.add(checkpoint);
            if (batch.size() == CHECKPOINT_BATCH) {
                try {
                    lookUp();
                } catch (SQLException e) {
                    throw new UncheckedSqlException(e);
                }
            }
        }

        Problem finish() throws SQLException {
            if (problem == null && !batch.isEmpty()) {
                lookUp();
            }
            return problem;
        }

        private void lookUp() throws SQLException {
            Map<Long, String> found = new java.util.HashMap<>();
            try (PreparedStatement st = c.prepareStatement("select seq, hash from audit.event where seq = any(?)")) {
                st.setArray(1, c.createArrayOf("int8", batch.stream().map(ChainCheckpoints.Checkpoint::seq).toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getLong(1), hex(rs.getBytes(2)));
                    }
                }
            }
            for (ChainCheckpoints.Checkpoint cp : batch) {
                // A row a purge removed is accounted for by the purge's record, which the walk has checked. The
                // chain is not: moving a row breaks the links, which the walk has checked too.
                String hash = found.get(cp.seq());
                if (cp.seq() > floor && hash == null) {
                    problem = new Problem(cp.seq(), "chain " + cp.chain() + " has lost rows from its end: seq "
                            + cp.seq() + ", published as its last row at a checkpoint, is no longer there");
                    break;
                }
                if (cp.seq() > floor && !hash.equals(cp.hash())) {
                    problem = new Problem(cp.seq(), "chain " + cp.chain() + " was rewritten: the row at seq "
                            + cp.seq() + " no longer has the hash a checkpoint published for it");
                    break;
                }
                checked++;
            }
            batch.clear();
        }
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
