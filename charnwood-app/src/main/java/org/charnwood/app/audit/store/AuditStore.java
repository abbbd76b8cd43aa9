package org.charnwood.app.audit.store;

import org.charnwood.app.audit.balp.AuditRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends audit records to the chain on a connection whose transaction the caller owns: a write
 * transaction (so the record commits with the change) or the group-commit appender's own. The chain is
 * extended under a transaction-scoped advisory lock, so appenders take turns: the one holding it reads
 * the last committed row, numbers its rows from the sequence and inserts them; the lock is released
 * only when its transaction ends, so the next appender sees those rows (or, after a rollback, not).
 * Sequence numbers lost to rollbacks leave gaps; the chain follows seq order, not consecutive numbers.
 */
public final class AuditStore {

    private static final String INSERT = """
            insert into audit.event (seq, recorded, type, subtype, action, outcome, who, purpose, patients,
                                     content, prev_hash, hash)
            select * from unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::char(1)[], ?::smallint[],
                                 ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::bytea[])""";
    private static final String INSERT_PATIENTS = """
            insert into audit.event_patient (patient, seq) select * from unnest(?::text[], ?::bigint[])""";

    private AuditStore() {
    }

    /** Appends the records in order; returns their sequence numbers (the AuditEvent ids). */
    public static long[] append(Connection c, List<AuditRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return new long[0];
        }
        int n = records.size();
        try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, AuditChain.LOCK_CLASS);
            lock.setInt(2, AuditChain.LOCK_ID);
            lock.execute();
        }
        byte[] previous = AuditChain.GENESIS;
        long[] seqs = new long[n];
        try (PreparedStatement st = c.prepareStatement("""
                select (select hash from audit.event order by seq desc limit 1),
                       (select last_hash from audit.purge order by purged_through desc limit 1),
                       array(select nextval('audit.event_seq') from generate_series(1, ?))""")) {
            st.setInt(1, n);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                byte[] last = rs.getBytes(1);
                byte[] purged = rs.getBytes(2);
                previous = last != null ? last : purged != null ? purged : AuditChain.GENESIS;
                Long[] numbers = (Long[]) rs.getArray(3).getArray();
                for (int i = 0; i < n; i++) {
                    seqs[i] = numbers[i];
                }
            }
        }
        Object[] seq = new Object[n];
        Object[] recorded = new Object[n];
        String[] type = new String[n];
        String[] subtype = new String[n];
        String[] action = new String[n];
        Object[] outcome = new Object[n];
        String[] who = new String[n];
        String[] purpose = new String[n];
        String[] patients = new String[n];
        String[] content = new String[n];
        byte[][] prev = new byte[n][];
        byte[][] hash = new byte[n][];
        List<String> patientIds = new ArrayList<>();
        List<Long> patientSeqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AuditRecord r = records.get(i);
            seq[i] = seqs[i];
            recorded[i] = OffsetDateTime.ofInstant(r.recorded(), ZoneOffset.UTC);
            type[i] = r.type();
            subtype[i] = r.subtype();
            action[i] = r.action();
            outcome[i] = (short) r.outcome();
            who[i] = r.who();
            purpose[i] = r.purpose();
            patients[i] = r.patients().isEmpty() ? null : r.patientList();
            content[i] = r.json(seqs[i]);
            prev[i] = previous;
            hash[i] = AuditChain.hash(previous, seqs[i], r.recorded(), type[i], subtype[i], action[i], r.outcome(),
                    who[i], purpose[i], patients[i], content[i]);
            previous = hash[i];
            for (String p : r.patients()) {
                patientIds.add(p);
                patientSeqs.add(seqs[i]);
            }
        }
        try (PreparedStatement st = c.prepareStatement(INSERT)) {
            st.setArray(1, c.createArrayOf("bigint", seq));
            st.setArray(2, c.createArrayOf("timestamptz", recorded));
            st.setArray(3, c.createArrayOf("text", type));
            st.setArray(4, c.createArrayOf("text", subtype));
            st.setArray(5, c.createArrayOf("text", action));
            st.setArray(6, c.createArrayOf("smallint", outcome));
            st.setArray(7, c.createArrayOf("text", who));
            st.setArray(8, c.createArrayOf("text", purpose));
            st.setArray(9, c.createArrayOf("text", patients));
            st.setArray(10, c.createArrayOf("text", content));
            st.setArray(11, c.createArrayOf("bytea", prev));
            st.setArray(12, c.createArrayOf("bytea", hash));
            st.executeUpdate();
        }
        if (!patientIds.isEmpty()) {
            try (PreparedStatement st = c.prepareStatement(INSERT_PATIENTS)) {
                st.setArray(1, c.createArrayOf("text", patientIds.toArray()));
                st.setArray(2, c.createArrayOf("bigint", patientSeqs.toArray()));
                st.executeUpdate();
            }
        }
        return seqs;
    }
}
