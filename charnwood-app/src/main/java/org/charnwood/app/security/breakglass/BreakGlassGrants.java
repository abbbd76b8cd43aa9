package org.charnwood.app.security.breakglass;

import org.charnwood.app.security.BreakGlassGrant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code access_break_glass} table. Every request of a member of staff asks for their grants in force, and
 * almost always there are none: that answer is remembered for a few seconds per person, so those requests skip
 * the lookup. Only the empty answer is remembered, and a grant made here forgets it at once, so the memory can
 * only ever deny for a moment what another server has just granted (the caller asks again), never let a grant
 * outlive its expiry or removal: anyone who holds grants has them looked up on every request.
 */
public class BreakGlassGrants implements org.charnwood.app.security.EmergencyAccessEndings {

    /** How long "this person holds no grant" is believed without asking the database again. */
    static final long NO_GRANT_MEMORY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private static final RowMapper<BreakGlassGrant> ROW = (rs, i) -> new BreakGlassGrant(rs.getString("grant_id"),
            rs.getString("subject"), rs.getString("fhir_user"), rs.getString("patient_id"), rs.getString("reason"),
            rs.getTimestamp("granted_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
            rs.getString("source_address"), instant(rs.getTimestamp("reviewed_at")), rs.getString("reviewed_by"),
            rs.getString("review_note"));

    private final JdbcTemplate jdbc;
    /** Person → when they were last found to hold no grant (System.nanoTime). */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> withoutGrants =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Grants made so far by this server: a lookup that overlapped one does not remember its empty answer. */
    private final java.util.concurrent.atomic.AtomicLong granted = new java.util.concurrent.atomic.AtomicLong();

    public BreakGlassGrants(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(BreakGlassGrant g) {
        jdbc.update("""
                insert into access_break_glass (grant_id, subject, fhir_user, patient_id, reason, granted_at,
                                                expires_at, source_address)
                values (?, ?, ?, ?, ?, ?, ?, ?)""", g.id(), g.subject(), g.fhirUser(), g.patientId(), g.reason(),
                Timestamp.from(g.grantedAt()), Timestamp.from(g.expiresAt()), g.sourceAddress());
        granted.incrementAndGet();
        withoutGrants.remove(g.fhirUser());
    }

    /** Holds, until the transaction ends, any other grant to the person for the patient. */
    void lockFor(String fhirUser, String patientId) {
        jdbc.query("select pg_advisory_xact_lock(hashtext('break-glass ' || ? || ' ' || ?))", rs -> { },
                fhirUser, patientId);
    }

    /** When the person's grant for the patient in force at {@code now} ends; null when none is. */
    Instant inForceUntil(String fhirUser, String patientId, Instant now) {
        List<Timestamp> ends = jdbc.query("""
                select max(expires_at) from access_break_glass
                 where fhir_user = ? and patient_id = ? and granted_at <= ? and expires_at > ?
                having max(expires_at) is not null""", (rs, i) -> rs.getTimestamp(1), fhirUser, patientId,
                Timestamp.from(now), Timestamp.from(now));
        return ends.isEmpty() ? null : ends.get(0).toInstant();
    }

    /** Patient id → grant id, for the person's grants in force at {@code now}. */
    public Map<String, String> activeFor(String fhirUser, Instant now) {
        Map<String, String> out = new HashMap<>();
        if (fhirUser == null) {
            return out;
        }
        long asked = System.nanoTime();
        Long none = withoutGrants.get(fhirUser);
        if (none != null && asked - none < NO_GRANT_MEMORY_NANOS) {
            return out;
        }
        long grantsBefore = granted.get();
        jdbc.query("""
                select patient_id, grant_id from access_break_glass
                 where fhir_user = ? and expires_at > ? and granted_at <= ?
                 order by granted_at""", rs -> {
            out.put(rs.getString(1), rs.getString(2));
        }, fhirUser, Timestamp.from(now), Timestamp.from(now));
        if (out.isEmpty() && granted.get() == grantsBefore) {
            withoutGrants.put(fhirUser, asked);
        } else {
            withoutGrants.remove(fhirUser);
        }
        return out;
    }

    /**
     * When the person's last emergency access to the patient ended, if it has and none is in force now; null
     * otherwise. For telling someone whose form was refused that their access ran out, not that they never had it.
     */
    @Override
    public Instant endedFor(String fhirUser, String patientId, Instant now) {
        if (fhirUser == null || patientId == null) {
            return null;
        }
        List<Timestamp> ends = jdbc.query("""
                select max(expires_at) from access_break_glass
                 where fhir_user = ? and patient_id = ? and granted_at <= ?
                having max(expires_at) <= ?""", (rs, i) -> rs.getTimestamp(1), fhirUser, patientId,
                Timestamp.from(now), Timestamp.from(now));
        return ends.isEmpty() || ends.get(0) == null ? null : ends.get(0).toInstant();
    }

    /** The grants still to review (oldest first), those reviewed or all (newest first). */
    List<BreakGlassGrant> list(Boolean reviewed, int limit) {
        String where = reviewed == null ? "" : reviewed ? " where reviewed_at is not null" : " where reviewed_at is null";
        // Still to review: oldest first, as a queue is worked; otherwise newest first.
        String order = Boolean.FALSE.equals(reviewed) ? " order by granted_at" : " order by granted_at desc";
        return jdbc.query("select * from access_break_glass" + where + order + " limit ?", ROW, limit);
    }

    /** Marks a grant reviewed; false when there is no such grant or it was reviewed already. */
    boolean review(String id, String reviewer, String note, Instant at) {
        return jdbc.update("update access_break_glass set reviewed_at = ?, reviewed_by = ?, review_note = ?"
                + " where grant_id = ? and reviewed_at is null", Timestamp.from(at), reviewer, note, id) == 1;
    }

    BreakGlassGrant find(String id) {
        List<BreakGlassGrant> found = jdbc.query("select * from access_break_glass where grant_id = ?", ROW, id);
        return found.isEmpty() ? null : found.get(0);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
