package org.charnwood.app.repository;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outbox events that {@link OutboxRelay} set aside after their listeners failed {@link OutboxRelay#MAX_ATTEMPTS}
 * times, for the trust's IT team: listed, and once the fault is fixed, replayed. A replay clears the row's
 * {@code set_aside_at} and {@code attempts}, which puts the event back in the relay's queue (ahead of newer events,
 * by its sequence number) with a fresh set of attempts; the relay delivers it on its next tick. {@code last_failure}
 * is kept until the next failure, if any, as the record of why it was set aside. Every call is audited
 * ({@link OutboxOperation}).
 */
@Component
class SetAsideEvents {

    /** Detail names at most this many events, so that replaying thousands keeps its audit record small. */
    private static final int NAMED_IN_DETAIL = 50;

    /** One set-aside event: what changed, when, and why it could not be delivered (an exception class). */
    record SetAsideEvent(long seq, String resourceType, String resourceId, int version, String method,
                         Instant occurred, Instant setAsideAt, int attempts, String failure) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;

    SetAsideEvents(JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
    }

    /** Every set-aside event, oldest first. The listing is recorded before it is returned. */
    List<SetAsideEvent> list() {
        List<SetAsideEvent> found = jdbc.query("""
                select seq, res_type, res_id, version, method, occurred_at, set_aside_at, attempts, last_failure
                  from fhir_outbox where set_aside_at is not null order by seq""",
                (rs, i) -> new SetAsideEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        org.charnwood.fhir.ChangeMethod.fromLetter(rs.getString(5).charAt(0)).name(),
                        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), rs.getInt(8),
                        rs.getString(9)));
        events.publishEvent(new OutboxOperation(OutboxOperation.LISTED, false,
                found.size() + " set-aside outbox events listed" + named(found.stream()
                        .map(e -> new Replayed(e.seq(), e.resourceType())).toList())));
        return found;
    }

    /** How many events are set aside now (the {@code charnwood.outbox.set.aside} gauge). */
    long count() {
        Long n = jdbc.queryForObject("select count(*) from fhir_outbox where set_aside_at is not null", Long.class);
        return n == null ? 0 : n;
    }

    /** Puts one set-aside event back in the relay's queue; false if no event with that number is set aside. */
    boolean replay(long seq) {
        // Nothing to replay is recorded as the request's failure (404) by the audit of the API's requests.
        return !replay(false, "seq = ?", seq).isEmpty();
    }

    /** Puts every set-aside event back in the relay's queue; returns how many (none is an answer too, and recorded). */
    int replayAll() {
        return replay(true, "true").size();
    }

    private record Replayed(long seq, String resourceType) {
    }

    private List<Replayed> replay(boolean recordNone, String which, Object... args) {
        return tx.execute(status -> {
            List<Replayed> replayed = jdbc.query("update fhir_outbox set set_aside_at = null, attempts = 0"
                            + " where set_aside_at is not null and " + which + " returning seq, res_type",
                    (rs, i) -> new Replayed(rs.getLong(1), rs.getString(2)), args);
            if (recordNone || !replayed.isEmpty()) {
                List<Replayed> inOrder = replayed.stream()
                        .sorted(java.util.Comparator.comparingLong(Replayed::seq)).toList();
                events.publishEvent(new OutboxOperation(OutboxOperation.REPLAYED, true,
                        inOrder.size() + " set-aside outbox events replayed" + named(inOrder)));
            }
            return replayed;
        });
    }

    private static String named(List<Replayed> which) {
        if (which.isEmpty()) {
            return "";
        }
        String named = which.stream().limit(NAMED_IN_DETAIL).map(e -> e.seq() + " (" + e.resourceType() + ")")
                .collect(Collectors.joining(", "));
        int more = which.size() - NAMED_IN_DETAIL;
        return ": " + named + (more > 0 ? " and " + more + " more" : "");
    }
}
