package org.charnwood.app.audit.store;

import org.charnwood.app.audit.balp.AuditRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Appends audit records to the shared chain (chain 0) on a connection whose transaction the caller owns: a
 * write transaction (so the record commits with the change), or a read appender's when another server owns
 * the read chain ({@link ReadChain}). The work is done by the database function {@code audit.append} in one
 * round trip: it takes a transaction-scoped advisory lock, so appenders take turns; reads
 * chain 0's last committed row; numbers the rows from the sequence and hashes each over its canonical content
 * (the form {@link AuditChain#hash} computes, which verification uses). The lock is released only when
 * the transaction ends, so the next appender sees those rows (or, after a rollback, not). Sequence
 * numbers lost to rollbacks leave gaps; the chain follows seq order, not consecutive numbers.
 */
public final class AuditStore {

    private static final String APPEND = "select audit.append(?::timestamptz[], ?::text[], ?::text[], ?::text[],"
            + " ?::smallint[], ?::text[], ?::text[], ?::text[], ?::text[])";

    private AuditStore() {
    }

    /** Appends the records in order, in one round trip; returns their sequence numbers (the AuditEvent ids). */
    public static long[] append(Connection c, List<AuditRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return new long[0];
        }
        int n = records.size();
        Object[] recorded = new Object[n];
        String[] type = new String[n];
        String[] subtype = new String[n];
        String[] action = new String[n];
        Object[] outcome = new Object[n];
        String[] who = new String[n];
        String[] purpose = new String[n];
        String[] patients = new String[n];
        String[] body = new String[n];
        for (int i = 0; i < n; i++) {
            AuditRecord r = records.get(i);
            recorded[i] = OffsetDateTime.ofInstant(r.recorded(), ZoneOffset.UTC);
            type[i] = r.type();
            subtype[i] = r.subtype();
            action[i] = r.action();
            outcome[i] = (short) r.outcome();
            who[i] = r.who();
            purpose[i] = r.purpose();
            patients[i] = r.patients().isEmpty() ? null : r.patientList();
            body[i] = r.body();
        }
        try (PreparedStatement st = c.prepareStatement(APPEND)) {
            st.setArray(1, c.createArrayOf("timestamptz", recorded));
            st.setArray(2, c.createArrayOf("text", type));
            st.setArray(3, c.createArrayOf("text", subtype));
            st.setArray(4, c.createArrayOf("text", action));
            st.setArray(5, c.createArrayOf("int2", outcome));
            st.setArray(6, c.createArrayOf("text", who));
            st.setArray(7, c.createArrayOf("text", purpose));
            st.setArray(8, c.createArrayOf("text", patients));
            st.setArray(9, c.createArrayOf("text", body));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                Long[] seqs = (Long[]) rs.getArray(1).getArray();
                long[] out = new long[seqs.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = seqs[i];
                }
                return out;
            }
        }
    }
}
