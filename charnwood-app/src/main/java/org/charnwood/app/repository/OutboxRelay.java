package org.charnwood.app.repository;

import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.ResourceChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers committed changes from the outbox table as {@link ResourceChanged} application events: every change
 * made other than by a bulk import first, in commit order, then a bulk import's (held back while an import runs
 * in this server, see {@link BulkImports}), so a migration never queues a ward's live changes behind its own.
 * Rows are claimed with {@code for update skip locked}, so several application nodes can relay
 * side by side; a row is marked delivered only after every listener has returned, so a crash
 * in between means the event is delivered again (at least once), never lost. Listeners must be
 * idempotent. Rolled-back writes never reach the outbox, so are never published.
 *
 * <p>A listener that throws rolls back its whole batch, so the failure is counted on the event's own row in a short
 * transaction of its own ({@code attempts}, {@code last_failure}: the exception's class, never its message), where
 * it survives a restart and every node sees the same count. The events ahead of it in the batch are then delivered
 * one at a time, so only the failing event is tried again. It is tried again after a wait that grows
 * ({@link #retryAfterSeconds}, on its row as {@code retry_at}), so that a passing fault is outlived; meanwhile no event
 * of the same resource is claimed, so none overtakes it, and every other resource's events go on, in commit order.
 * After {@link #MAX_ATTEMPTS} failures the event is set aside
 * ({@code set_aside_at}), not marked delivered, and the events after it go on at once: one event no listener can take
 * must not hold back every NEWS2 score, escalation and board update behind it. A set-aside event waits for the
 * trust's IT team, who list and replay it ({@link SetAsideEvents}) once the fault is fixed; replayed, it is delivered
 * after the events that overtook it. Throwing an {@link Error} is not counted: the batch is simply tried again.
 *
 * <p>A {@link ResourceChanged} reaches the listeners of the one node that relays it: right for work that must be
 * done once. What every node keeps in memory about the record listens to {@link ResourceChangeNoticed} instead,
 * which this relay publishes for its own deliveries and {@link ChangesFromOtherNodes} for the other nodes': when it
 * marks a batch delivered, the relay also notifies every node of it ({@link ChangeBroadcast}), in the same
 * transaction, so the notice goes out only if the delivery commits.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Small enough that a batch whose listeners do real work (NEWS2, escalation) holds its row locks briefly. */
    private static final int BATCH = 100;
    /** Times an event's listeners may fail before it is set aside, so that the events behind it go on. */
    static final int MAX_ATTEMPTS = 3;

    /** Rows waiting for the relay: neither delivered nor set aside (the partial index {@code fhir_outbox_pending}). */
    static final String PENDING = "delivered_at is null and set_aside_at is null";
    /**
     * Resources with an event waiting to be tried again after a failure (the partial index {@code fhir_outbox_retrying}):
     * none of their events is claimed until it is due, so the failed one is not overtaken by those behind it.
     */
    static final String WAITING_TO_RETRY = "select res_type, res_id from fhir_outbox where retry_at > now() and "
            + PENDING;
    private static final String EVENT =
            "select seq, res_type, res_id, version, method, occurred_at, bulk from fhir_outbox ";
    private static final RowMapper<ResourceChanged> EVENTS = (rs, i) -> change(rs);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final BulkImports imports;
    private final ChangeBroadcast broadcast;
    private final AtomicBoolean running = new AtomicBoolean();
    // One relay pass at a time in this process: a caller that asks for everything pending now (a test, or a
    // shutdown) waits for a pass already under way, instead of skipping its locked rows and returning before
    // their listeners have run. Other processes still share the outbox through SKIP LOCKED.
    private final ReentrantLock relaying = new ReentrantLock();
    private ScheduledExecutorService executor;

    OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher events, BulkImports imports,
                ChangeBroadcast broadcast) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.imports = imports;
        this.broadcast = broadcast;
    }

    /**
     * Delivers everything pending now, but for an event waiting to be tried again after a failure and the later events
     * of its resource; returns how many events were published.
     */
    public int relayPending() {
        return relay(() -> true);
    }

    /** Delivers batch after batch while there are more and {@code goOn} holds; returns how many were published. */
    private int relay(java.util.function.BooleanSupplier goOn) {
        relaying.lock();
        try {
            int total = 0;
            Pass pass;
            do {
                pass = relayBatch();
                total += pass.delivered();
            } while (pass.more() && goOn.getAsBoolean());
            return total;
        } finally {
            relaying.unlock();
        }
    }

    /** What one pass did: the events it delivered, and whether more may be delivered now rather than next tick. */
    private record Pass(int delivered, boolean more) {
    }

    /** An outbox row ({@code seq, res_type, res_id, version, method, occurred_at}) as the change it records. */
    static ResourceChanged change(ResultSet rs) throws SQLException {
        return new ResourceChanged(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                ChangeMethod.fromLetter(rs.getString(5).charAt(0)), rs.getTimestamp(6).toInstant());
    }

    /** Tells this node's memory of the change first: it is committed, whatever the once-only listeners do next. */
    private void notice(ResourceChanged change) {
        try {
            events.publishEvent(new ResourceChangeNoticed(change, true));
        } catch (RuntimeException e) {
            // Memory listeners must not throw; one that does must not hold back the once-only work.
            log.warn("A listener failed on change notice {}: {}", change.sequence(), e.getClass().getSimpleName());
        }
    }

    /**
     * The claim of the next batch (its size the one parameter): live changes first, in order, and a bulk import's
     * changes after them, or while an import runs here live changes only. Of the rows claimed, an event is left for
     * a later pass when an earlier event of its resource is still pending outside the claim: that one is being
     * delivered by a relay on another node ({@code skip locked} passed over it, and it stays pending until that
     * relay's delivery commits), so delivering this one now could overtake it. A resource's changes are thus
     * delivered in the order they were made, whichever nodes relay them; a bulk import's earlier change does not hold
     * back a live one, which is relayed first (decision 16). The rows left are locked until this pass ends, unmarked.
     */
    static String claim(boolean importRunning) {
        return "with claimed as materialized (" + EVENT + "where " + PENDING + " and (res_type, res_id) not in ("
                + WAITING_TO_RETRY + ")" + (importRunning ? " and bulk = false order by seq" : " order by bulk, seq")
                + " limit ? for update skip locked)"
                + " select c.seq, c.res_type, c.res_id, c.version, c.method, c.occurred_at from claimed c"
                + " where not exists (select 1 from fhir_outbox e where e.res_type = c.res_type"
                + " and e.res_id = c.res_id and e.seq < c.seq and e.bulk <= c.bulk and e.delivered_at is null"
                + " and e.set_aside_at is null and e.seq not in (select seq from claimed))"
                + " order by c.bulk, c.seq";
    }

    /** How long an event waits after its {@code failures}th failure before it is tried again: 1 s, then 5 s. */
    static long retryAfterSeconds(int failures) {
        return failures <= 1 ? 1 : 5;
    }

    private Pass relayBatch() {
        String claim = claim(imports.running());
        try {
            Integer n = tx.execute(status -> {
                List<ResourceChanged> batch = jdbc.query(claim, EVENTS, BATCH);
                for (int i = 0; i < batch.size(); i++) {
                    notice(batch.get(i));
                    publish(batch.get(i), batch.subList(0, i));
                }
                if (!batch.isEmpty()) {
                    delivered(batch.stream().mapToLong(ResourceChanged::sequence).toArray());
                }
                return batch.size();
            });
            int delivered = n == null ? 0 : n;
            return new Pass(delivered, delivered == BATCH);
        } catch (ListenerFailed failed) {
            // The batch has rolled back: nothing in it is marked delivered. The failed event now waits for its retry
            // (or is set aside), its resource's later events with it, so the next pass goes on with the rest at once.
            counted(failed);
            int delivered = 0;
            for (ResourceChanged ahead : failed.ahead) {
                try {
                    delivered += deliverAlone(ahead) ? 1 : 0;
                } catch (ListenerFailed again) {
                    // Went through in the batch, failed alone: counted as well; the rest are claimed again next pass.
                    counted(again);
                    break;
                }
            }
            return new Pass(delivered, true);
        }
    }

    /**
     * Delivers one event in a transaction of its own, if it is still waiting (another node may have delivered it
     * since the batch rolled back); true if it was delivered here.
     */
    private boolean deliverAlone(ResourceChanged change) {
        Boolean delivered = tx.execute(status -> {
            List<Long> claimed = jdbc.queryForList("select seq from fhir_outbox where seq = ? and " + PENDING
                    + " for update skip locked", Long.class, change.sequence());
            if (claimed.isEmpty()) {
                return false;
            }
            notice(change);
            publish(change, List.of());
            delivered(change.sequence());
            return true;
        });
        return Boolean.TRUE.equals(delivered);
    }

    /**
     * Marks events delivered, in the delivering transaction, and tells the other nodes of them: the notice is sent by
     * PostgreSQL when the transaction commits, so never for a delivery rolled back.
     */
    private void delivered(long... sequences) {
        jdbc.update("update fhir_outbox set delivered_at = now() where seq = any (?)",
                (Object) java.util.Arrays.stream(sequences).boxed().toArray(Long[]::new));
        broadcast.announce(sequences);
    }

    /** Publishes one event; a listener's exception is handed on as {@link ListenerFailed}, to roll its batch back. */
    private void publish(ResourceChanged change, List<ResourceChanged> ahead) {
        try {
            events.publishEvent(change);
        } catch (RuntimeException e) {
            throw new ListenerFailed(change, List.copyOf(ahead), e);
        }
    }

    /**
     * Counts a failed attempt on the event's row, in a short transaction of its own (the one that failed has rolled
     * back): before the last attempt the event is given a time to be tried again ({@code retry_at}, after
     * {@link #retryAfterSeconds}), and at the last it is set aside. Either way the events of other resources may go on
     * now, as they may if the event is no longer waiting (another node delivered or set it aside meanwhile).
     */
    private void counted(ListenerFailed failed) {
        ResourceChanged change = failed.change;
        String failure = failed.getCause().getClass().getName();
        List<Integer> attempts = tx.execute(status -> {
            List<Integer> counts = jdbc.queryForList("update fhir_outbox"
                            + " set attempts = attempts + 1, last_failure = ?,"
                            + " set_aside_at = case when attempts + 1 >= ? then now() end,"
                            + " retry_at = case when attempts + 1 < ?"
                            + " then now() + case when attempts + 1 <= 1 then ? else ? end * interval '1 second' end"
                            + " where seq = ? and " + PENDING + " returning attempts",
                    Integer.class, failure, MAX_ATTEMPTS, MAX_ATTEMPTS, retryAfterSeconds(1), retryAfterSeconds(2),
                    change.sequence());
            if (!counts.isEmpty() && counts.get(0) >= MAX_ATTEMPTS) {
                // Its change is committed all the same: the other nodes' memory of the record hears of it now.
                broadcast.announce(new long[]{change.sequence()});
            }
            return counts;
        });
        if (attempts == null || attempts.isEmpty()) {
            return;
        }
        int failedTimes = attempts.get(0);
        // The type and sequence only: the outbox row says which resource, and nothing here names a patient.
        if (failedTimes >= MAX_ATTEMPTS) {
            log.error("Outbox event {} ({}) failed in its listeners {} times ({}); set aside until it is replayed, "
                    + "so the events after it are delivered", change.sequence(), change.resourceType(), failedTimes,
                    failed.getCause().getClass().getSimpleName());
            return;
        }
        log.warn("Outbox event {} ({}) failed in its listeners ({}), attempt {} of {}; will retry in {} s",
                change.sequence(), change.resourceType(), failed.getCause().getClass().getSimpleName(), failedTimes,
                MAX_ATTEMPTS, retryAfterSeconds(failedTimes));
    }

    /**
     * A listener threw while an event was published: which event, and those published before it in the same batch
     * (rolled back with it, so still to be delivered). Carries no message of its own and is never logged whole.
     */
    private static final class ListenerFailed extends RuntimeException {
        final transient ResourceChanged change;
        final transient List<ResourceChanged> ahead;

        ListenerFailed(ResourceChanged change, List<ResourceChanged> ahead, RuntimeException cause) {
            super(null, cause, false, false);
            this.change = change;
            this.ahead = ahead;
        }
    }

    @Override
    public void start() {
        if (running.compareAndSet(false, true)) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outbox-relay"));
            executor.scheduleWithFixedDelay(this::relaySafely, 1, 200, TimeUnit.MILLISECONDS);
        }
    }

    private void relaySafely() {
        try {
            // Once stopping, the batch in hand is finished and no other claimed: what is left waits for the next start
            // or another node, rather than being cut off halfway when the connection pool closes under it.
            relay(running::get);
        } catch (RuntimeException e) {
            // Left undelivered: retried on the next tick. No event content is logged.
            log.warn("Outbox relay failed; will retry: {}", e.getClass().getSimpleName());
        } catch (Error e) {
            // Anything escaping here would cancel every later run of the scheduled task, silently: the events would
            // pile up undelivered while the server went on taking writes. Left undelivered, retried on the next tick.
            log.error("Outbox relay failed with {}; will retry", e.getClass().getSimpleName());
        }
    }

    @Override
    public void stop() {
        if (running.compareAndSet(true, false)) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /**
     * Stop only after the web server has drained in-flight requests and stopped, so the events of writes that finish
     * during the drain still go out. Spring stops higher phases first and waits for each phase to finish; the web
     * server's graceful shutdown runs at {@code DEFAULT_PHASE - 1024} and its stop at {@code DEFAULT_PHASE - 2048},
     * so the relay must sit below both (and above {@link ChangesFromOtherNodes}, which outlives it).
     */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

    @Override
    public int getPhase() {
        return PHASE;
    }
}
