package org.charnwood.app.audit.store;

import org.charnwood.app.audit.balp.AuditRecord;
import org.charnwood.fhir.RedactedFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The chain that records of reads are appended to (chain {@value #CHAIN}), owned by one appender at a time.
 * The owner holds a session advisory lock on a connection of its own, so while it lives nobody else extends
 * this chain: it keeps the chain's last row's hash in memory, numbers its rows from the shared sequence, hashes
 * them ({@link AuditChain#hash}, the form verification recomputes) and stores a batch with one plain insert; a
 * lone record is numbered, hashed and stored by one statement. That is what makes auditing a search cheap: no
 * lock to queue on, no tail to read, no function.
 *
 * <p>Another process may already own the chain (two servers on one database): then the records go to the
 * shared chain through {@link AuditStore#append}, as writes do, and ownership is tried again later. If the
 * owning connection fails, the lock goes with it; the tail is read again from the database when the lock
 * is taken again, so a batch whose outcome was unknown cannot fork the chain.
 *
 * <p>Used by one thread at a time: whichever request holds the group-commit appender's lock.
 */
final class ReadChain implements AutoCloseable {

    static final int CHAIN = 1;
    /** Rows per insert statement; a larger batch is stored in several, in one transaction. */
    static final int ROWS_PER_STATEMENT = 16;
    private static final long RETRY_NANOS = 30_000_000_000L;

    private static final Logger log = LoggerFactory.getLogger(ReadChain.class);

    private static final String PATIENT_ROWS = "select * from unnest(?::text[], ?::bigint[])";
    private static final String[] INSERTS = new String[ROWS_PER_STATEMENT + 1];
    /** The same, with the batch's patient index rows in the same statement. */
    private static final String[] WITH_PATIENTS = new String[ROWS_PER_STATEMENT + 1];

    private static final String[] NEXT_SEQS = new String[ROWS_PER_STATEMENT + 1];

    /**
     * A record appended on its own, the usual case unless the server is busy: numbered, hashed and inserted (with
     * its patient index rows) in one statement. The hash is the same SHA-256 over the canonical content that
     * {@link AuditChain#hash} computes; only the number is not known here, so the database puts it in between.
     */
    private static final String ONE = """
            with s as (select nextval('audit.event_seq') as seq),
            e as (insert into audit.event (seq, recorded, type, subtype, action, outcome, who, purpose, patients,
                                           content, prev_hash, hash, chain)
                  select s.seq, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                         sha256(convert_to(?::text || s.seq::text || ?::text, 'UTF8')), """ + CHAIN + """
                    from s
                  returning seq, hash)""";
    private static final String ONE_ALONE = ONE + " select seq, hash from e";
    private static final String ONE_WITH_PATIENTS = ONE + """
            , p as (insert into audit.event_patient (patient, seq) select u, e.seq from e, unnest(?::text[]) u)
            select seq, hash from e""";

    static {
        for (int n = 1; n <= ROWS_PER_STATEMENT; n++) {
            NEXT_SEQS[n] = nextSeqsSql(n);
            StringBuilder sql = new StringBuilder("insert into audit.event (seq, recorded, type, subtype, action,"
                    + " outcome, who, purpose, patients, content, prev_hash, hash, chain) values ");
            for (int i = 0; i < n; i++) {
                sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + CHAIN + ")");
            }
            INSERTS[n] = sql.toString();
            WITH_PATIENTS[n] = "with e as (" + INSERTS[n] + ") insert into audit.event_patient (patient, seq) "
                    + PATIENT_ROWS;
        }
    }

    private final DataSource dataSource;
    private Connection owner;
    private long nextAttempt = System.nanoTime();
    private byte[] tail;

    ReadChain(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Appends the records, committed when this returns. */
    void append(List<AuditRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        if (owner == null && System.nanoTime() - nextAttempt >= 0) {
            takeOwnership();
        }
        if (owner == null) {
            appendToSharedChain(records);
            return;
        }
        try {
            store(owner, records);
        } catch (SQLException | RuntimeException e) {
            // The batch may or may not have committed: give the chain up, and read its tail again when it is
            // next taken.
            release();
            throw e;
        }
    }

    /** Whether this process extends the read chain (false: another does, and records go to the shared one). */
    boolean owned() {
        return owner != null;
    }

    /** One record as it is stored: numbered, its facts, and linked to the row before it. */
    private record Row(AuditRecord record, long seq, OffsetDateTime recorded, String patients, byte[] previous,
                       byte[] hash) {
    }

    private void store(Connection c, List<AuditRecord> records) throws SQLException {
        if (records.size() == 1) {
            tail = storeOne(c, records.get(0), tail);
            return;
        }
        int n = records.size();
        long[] seqs = nextSeqs(c, n);
        List<Row> rows = new ArrayList<>(n);
        byte[] previous = tail;
        List<String> patientOf = new ArrayList<>();
        List<Long> seqOf = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AuditRecord r = records.get(i);
            OffsetDateTime recorded = recordedAt(r);
            String patients = patientsColumn(r);
            byte[] hash = AuditChain.hash(previous, seqs[i], recorded.toInstant(), r.type(), r.subtype(), r.action(),
                    r.outcome(), r.who(), r.purpose(), patients, r.body());
            rows.add(new Row(r, seqs[i], recorded, patients, previous, hash));
            previous = hash;
            for (String p : r.patients()) {
                patientOf.add(p);
                seqOf.add(seqs[i]);
            }
        }
        if (n <= ROWS_PER_STATEMENT) {
            // The usual case: one statement, committed on its own (auto-commit).
            try (PreparedStatement st = c.prepareStatement(patientOf.isEmpty() ? INSERTS[n] : WITH_PATIENTS[n])) {
                int p = bindRows(st, rows);
                if (!patientOf.isEmpty()) {
                    bindPatients(c, st, p, patientOf, seqOf);
                }
                st.executeUpdate();
            }
        } else {
            c.setAutoCommit(false);
            try {
                for (int from = 0; from < n; from += ROWS_PER_STATEMENT) {
                    List<Row> chunk = rows.subList(from, Math.min(n, from + ROWS_PER_STATEMENT));
                    try (PreparedStatement st = c.prepareStatement(INSERTS[chunk.size()])) {
                        bindRows(st, chunk);
                        st.executeUpdate();
                    }
                }
                if (!patientOf.isEmpty()) {
                    try (PreparedStatement st = c.prepareStatement("insert into audit.event_patient (patient, seq) "
                            + PATIENT_ROWS)) {
                        bindPatients(c, st, 1, patientOf, seqOf);
                        st.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the caller gives the connection up
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        tail = previous;
    }

    /** Stores one record after the row whose hash is {@code previous}, committed on its own; returns its hash. */
    private static byte[] storeOne(Connection c, AuditRecord r, byte[] previous) throws SQLException {
        OffsetDateTime recorded = recordedAt(r);
        String patients = patientsColumn(r);
        try (PreparedStatement st = c.prepareStatement(patients == null ? ONE_ALONE : ONE_WITH_PATIENTS)) {
            int p = bindColumns(st, 1, r, recorded, patients);
            st.setBytes(p++, previous);
            st.setString(p++, AuditChain.beforeSeq(previous));
            st.setString(p++, AuditChain.afterSeq(recorded.toInstant(), r.type(), r.subtype(), r.action(),
                    r.outcome(), r.who(), r.purpose(), patients, r.body()));
            if (patients != null) {
                st.setArray(p, c.createArrayOf("text", r.patients().toArray()));
            }
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBytes(2);
            }
        }
    }

    /** Binds the rows' values from the first parameter; returns the next free index. */
    private static int bindRows(PreparedStatement st, List<Row> rows) throws SQLException {
        int p = 1;
        for (Row row : rows) {
            st.setLong(p++, row.seq());
            p = bindColumns(st, p, row.record(), row.recorded(), row.patients());
            st.setBytes(p++, row.previous());
            st.setBytes(p++, row.hash());
        }
        return p;
    }

    /**
     * Binds a record's columns from {@code recorded} to {@code content}, in the order both inserts list them, from
     * parameter {@code p}; returns the next free index.
     */
    private static int bindColumns(PreparedStatement st, int p, AuditRecord r, OffsetDateTime recorded,
                                   String patients) throws SQLException {
        st.setObject(p++, recorded);
        st.setString(p++, r.type());
        st.setString(p++, r.subtype());
        st.setString(p++, r.action());
        st.setShort(p++, (short) r.outcome());
        st.setString(p++, r.who());
        st.setString(p++, r.purpose());
        st.setString(p++, patients);
        st.setString(p++, r.body());
        return p;
    }

    /** The recorded time as stored and hashed: to the millisecond. */
    private static OffsetDateTime recordedAt(AuditRecord r) {
        return OffsetDateTime.ofInstant(r.recorded().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    /** The {@code patients} column: the sorted ids, comma-separated, or null when the record names none. */
    private static String patientsColumn(AuditRecord r) {
        return r.patients().isEmpty() ? null : r.patientList();
    }

    private static void bindPatients(Connection c, PreparedStatement st, int p, List<String> patients, List<Long> seqs)
            throws SQLException {
        st.setArray(p, c.createArrayOf("text", patients.toArray()));
        st.setArray(p + 1, c.createArrayOf("int8", seqs.toArray()));
    }

    private static long[] nextSeqs(Connection c, int n) throws SQLException {
        long[] seqs = new long[n];
        // The count is in the statement text while it is small: with it as a parameter PostgreSQL planned the
        // statement afresh on every call, the cached plan assuming a thousand rows.
        try (PreparedStatement st = c.prepareStatement(n <= ROWS_PER_STATEMENT ? NEXT_SEQS[n] : nextSeqsSql(n))) {
            try (ResultSet rs = st.executeQuery()) {
                for (int i = 0; i < n; i++) {
                    rs.next();
                    seqs[i] = rs.getLong(1);
                }
            }
        }
        // nextval hands out increasing numbers, but the rows of a set are not promised to be numbered in order.
        Arrays.sort(seqs);
        return seqs;
    }

    private static String nextSeqsSql(int n) {
        return "select nextval('audit.event_seq') from generate_series(1, " + n + ")";
    }

    /** Takes the chain's lock on a connection kept for it, and reads where the chain ends. */
    private void takeOwnership() {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
            boolean locked;
            try (PreparedStatement st = c.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
                st.setInt(1, AuditChain.LOCK_CLASS);
                st.setInt(2, CHAIN);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    locked = rs.getBoolean(1);
                }
            }
            if (!locked) {
                c.close();
                nextAttempt = System.nanoTime() + RETRY_NANOS;
                log.info("another server appends to the read audit chain; reads are recorded on the shared chain");
                return;
            }
            tail = lastHash(c);
            owner = c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            nextAttempt = System.nanoTime() + RETRY_NANOS / 30;
            log.warn("could not take the read audit chain: {}", RedactedFailure.summary(e));
        }
    }

    /** The hash the chain's next row follows from: its last row's, or its purge anchor's, or the genesis. */
    static byte[] lastHash(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                select coalesce(
                    (select hash from audit.event where chain = ? order by seq desc limit 1),
                    (select last_hash from audit.purge where chain = ? order by purged_through desc limit 1))""")) {
            st.setInt(1, CHAIN);
            st.setInt(2, CHAIN);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                byte[] hash = rs.getBytes(1);
                return hash == null ? AuditChain.GENESIS : hash;
            }
        }
    }

    private void appendToSharedChain(List<AuditRecord> records) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            AuditStore.append(c, records);
        }
    }

    private void release() {
        if (owner != null) {
            // A pooled connection outlives this use: it must not go back to the pool still holding the lock.
            try (PreparedStatement st = owner.prepareStatement("select pg_advisory_unlock_all()")) {
                st.execute();
            } catch (SQLException ignored) {
                // a broken connection's session, and its locks, are gone already
            }
        }
        closeQuietly(owner);
        owner = null;
        tail = null;
        nextAttempt = System.nanoTime();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to do with it
            }
        }
    }

    @Override
    public void close() {
        release();
    }
}
