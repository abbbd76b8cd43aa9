package org.charnwood.app.repository;

import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.ResourceChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
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
    /** Failed deliveries of events not yet delivered, by sequence number; kept only while they are being retried. */
    private final java.util.Map<Long, Integer> failures = new java.util.concurrent.ConcurrentHashMap<>();

    OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher events, BulkImports imports,
                ChangeBroadcast broadcast) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.imports = imports;
        this.broadcast = broadcast;
    }

    /** Delivers everything pending now; returns how many events were published. */
    public int relayPending() {
        relaying.lock();
        try {
            int total = 0;
            int delivered;
            do {
                delivered = relayBatch();
                total += delivered;
            } while (delivered == BATCH);
            return total;
        } finally {
            relaying.unlock();
        }
    }

    private int relayBatch() {
        // Live changes first, in order; a bulk import's changes after them, and not while an import is running here.
        String pending = imports.running()
                ? "where delivered_at is null and bulk = false order by seq"
                : "where delivered_at is null order by bulk, seq";
        Integer n = tx.execute(status -> {
            List<ResourceChanged> batch = jdbc.query("select seq, res_type, res_id, version, method, occurred_at"
                            + " from fhir_outbox " + pending + " limit ? for update skip locked",
                    (rs, i) -> change(rs), BATCH);
            for (ResourceChanged change : batch) {
                notice(change);
                publish(change);
            }
            if (!batch.isEmpty()) {
                jdbc.update("update fhir_outbox set delivered_at = now() where seq = any (?)",
                        (Object) batch.stream().map(ResourceChanged::sequence).toArray(Long[]::new));
                // Sent by PostgreSQL when this transaction commits, so never for a delivery rolled back.
                broadcast.announce(batch.stream().mapToLong(ResourceChanged::sequence).toArray());
            }
            return batch.size();
        });
        return n == null ? 0 : n;
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
     * Publishes one event. A listener that throws rolls the batch back, to be tried again on the next tick (the
     * events before it in the batch are published again then; listeners are idempotent). An event whose listeners
     * fail {@link #MAX_ATTEMPTS} times is set aside: logged as an error with its sequence number and marked
     * delivered with the rest of its batch. Without that, one event no listener can take would hold back every
     * change behind it (every NEWS2 score, escalation and board update) for as long as the fault lasted.
     */
    private void publish(ResourceChanged change) {
        try {
            events.publishEvent(change);
            failures.remove(change.sequence());
        } catch (RuntimeException e) {
            int failed = failures.merge(change.sequence(), 1, Integer::sum);
            if (failed < MAX_ATTEMPTS) {
                throw e;
            }
            failures.remove(change.sequence());
            // The type and sequence only: the outbox row says which resource, and nothing here names a patient.
            log.error("Outbox event {} ({}) failed in its listeners {} times ({}); set aside so the events after it "
                    + "are delivered", change.sequence(), change.resourceType(), failed, e.getClass().getSimpleName());
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
            relayPending();
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

    /** Stop after the web server has drained in-flight requests, so their events still go out. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
