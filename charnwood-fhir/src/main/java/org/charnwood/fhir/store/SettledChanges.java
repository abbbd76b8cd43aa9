package org.charnwood.fhir.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The instant up to which the store's changes are settled: every version stamped ({@code last_updated}) at or
 * before it has committed, and every version still to commit will be stamped after it. A bulk export reads up to
 * it (its {@code transactionTime}) and a history answer stops at it, so that the next export with
 * {@code _since=transactionTime}, or the next history poll with {@code _since} = the answer's time, finds every
 * change the earlier one could not see. Taking "now" instead loses a transaction that was stamped before "now" but
 * commits after the read: it is in neither answer.
 *
 * <p>How it holds (docs/architecture.md, "Settled changes"):
 * <ol>
 * <li>A write transaction first announces itself ({@link #announce}): it takes a shared transaction-scoped
 *     advisory lock, which shows in {@code pg_locks} until it commits or rolls back. Only then does it read the
 *     clock for its stamp. Shared locks never wait for one another, so writers do not queue on it.</li>
 * <li>{@link #upTo} reads the clock ({@code a}), waits for the clock to reach the next millisecond, reads it again
 *     ({@code b}), then asks PostgreSQL for the oldest announced transaction still running and its age
 *     ({@code clock_timestamp() - xact_start}, both on the database's clock, so the difference between the
 *     application's and the database's clocks does not matter).</li>
 * <li>A writer announced after that look read its stamp after {@code b}: its stamp, in whole milliseconds, is
 *     later than {@code a}'s millisecond. A writer still running at the look began no earlier than
 *     {@code b - age}, and read its stamp after that. So the answer is {@code a}'s millisecond, or, when a writer
 *     is running, the millisecond before {@code b - age} if that is earlier. A writer gone from the look has
 *     committed (or rolled back) before it, and so is seen by any read that follows.</li>
 * </ol>
 * Stamps come from the application's clock, so the servers sharing one database must keep their clocks together
 * (NTP): a server whose clock runs behind another's by some time can stamp a change up to that time before the
 * other's answer. The clock must not be stepped back while running.
 */
public final class SettledChanges {

    /** The advisory lock key of write transactions (class, object); 2100 is the audit chain's class. */
    private static final int LOCK_CLASS = 2200;
    private static final int LOCK_OBJECT = 1;

    private static final String ANNOUNCE = "select pg_advisory_xact_lock_shared(" + LOCK_CLASS + ", " + LOCK_OBJECT
            + ")";

    /**
     * The age, in microseconds, of the oldest other transaction holding the announcement lock; null when there is
     * none. The two-key form of an advisory lock shows its keys as classid and objid, with objsubid 2.
     */
    private static final String OLDEST_WRITER = """
            select (extract(epoch from clock_timestamp() - min(a.xact_start)) * 1000000)::bigint
              from pg_locks l join pg_stat_activity a on a.pid = l.pid
             where l.locktype = 'advisory' and l.granted and l.objsubid = 2
               and l.classid = %d and l.objid = %d and l.pid <> pg_backend_pid()
               and l.database = (select oid from pg_database where datname = current_database())
               and a.xact_start is not null""".formatted(LOCK_CLASS, LOCK_OBJECT);

    /** How long to wait at most for the clock to reach its next millisecond (a stopped test clock never does). */
    private static final Duration TICK_WAIT = Duration.ofMillis(5);

    private SettledChanges() {
    }

    /**
     * Called by a write transaction as its first statement, before it reads the clock for its stamp: from now
     * until it ends it holds back {@link #upTo}.
     */
    public static void announce(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ANNOUNCE)) {
            ps.execute();
        }
    }

    /** The instant, in whole milliseconds of {@code clock}, up to which changes are settled (see above). */
    public static Instant upTo(Connection c, Clock clock) throws SQLException {
        Instant a = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant b = nextMillisecond(clock, a);
        Long ageMicros;
        try (PreparedStatement ps = c.prepareStatement(OLDEST_WRITER); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long age = rs.getLong(1);
            ageMicros = rs.wasNull() ? null : Math.max(0, age);
        }
        // Without a tick (a stopped clock), a writer about to stamp may still take a's millisecond.
        Instant settled = b.truncatedTo(ChronoUnit.MILLIS).isAfter(a) ? a : a.minusMillis(1);
        if (ageMicros != null) {
            Instant oldest = b.minus(ageMicros, ChronoUnit.MICROS).truncatedTo(ChronoUnit.MILLIS).minusMillis(1);
            if (oldest.isBefore(settled)) {
                settled = oldest;
            }
        }
        return settled;
    }

    /** The clock's reading once it has passed the millisecond {@code a}, or after {@link #TICK_WAIT} at most. */
    private static Instant nextMillisecond(Clock clock, Instant a) {
        long deadline = System.nanoTime() + TICK_WAIT.toNanos();
        Instant b = clock.instant();
        while (!b.truncatedTo(ChronoUnit.MILLIS).isAfter(a) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
            b = clock.instant();
        }
        return b;
    }
}
