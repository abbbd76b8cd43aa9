package org.charnwood.app.audit.store;

import org.charnwood.app.audit.balp.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Commits audit records for reads before the response is sent, cheaply, by group commit with a leader: the
 * request that finds no commit under way commits its records itself, at once, on its own thread; requests
 * that arrive while a commit is under way queue their records and wait; when the commit ends, the leader
 * hands the lead to the oldest waiting request, which commits everything queued by then in one transaction
 * and releases every caller in it at once. So an idle server pays one round trip and no thread hand-off, and
 * a busy one shares each commit among many requests without ever waiting out a window. A full queue makes
 * callers wait (back pressure) rather than drop records. If the database cannot take the batch its callers
 * fail, so no response goes out unaudited.
 */
public final class GroupCommitAppender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitAppender.class);

    /** What a waiting request is told: its records are committed, or it is to lead the next commit. */
    private enum Turn { COMMITTED, LEAD }

    private record Pending(List<AuditRecord> records, CompletableFuture<Turn> turn) {
    }

    private final DataSource dataSource;
    private final int queueCapacity;
    private final int maxBatch;
    private final Duration maxWait;
    private final Object lock = new Object();
    /** Requests waiting for the next commit, oldest first; guarded by {@link #lock}. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Whether a request is committing (or has been handed the lead); guarded by {@link #lock}. */
    private boolean leading;
    private volatile boolean closed;

    public GroupCommitAppender(DataSource dataSource, int queueCapacity, int maxBatch, Duration maxWait) {
        this.dataSource = dataSource;
        this.queueCapacity = queueCapacity;
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
    }

    /** Appends the records and returns once they are committed. */
    public void appendAndWait(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("the audit trail is closed: refusing to go on unaudited");
        }
        Pending pending = new Pending(records, new CompletableFuture<>());
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean lead;
        try {
            synchronized (lock) {
                while (queue.size() >= queueCapacity) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException("audit queue full for " + maxWait
                                + ": refusing to go on unaudited");
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                queue.addLast(pending);
                lead = !leading;
                leading = true;
            }
            if (!lead && awaitTurn(pending, deadline) == Turn.COMMITTED) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(pending);
            throw new IllegalStateException("interrupted while the audit record was committed", e);
        }
        lead(pending);
    }

    /** Waits until the request's records are committed or it is handed the lead; fails after the deadline. */
    private Turn awaitTurn(Pending pending, long deadline) throws InterruptedException {
        try {
            return pending.turn().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the audit record could not be stored", e.getCause());
        } catch (TimeoutException e) {
            synchronized (lock) {
                // The lead is handed over under the lock: a request handed it must take it, not give up.
                if (!pending.turn().isDone() && queue.remove(pending)) {
                    lock.notifyAll();
                    throw new IllegalStateException("the audit record was not committed within " + maxWait, e);
                }
            }
            // Already taken into a commit under way (or handed the lead): its outcome comes shortly.
            try {
                return pending.turn().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e2) {
                throw new IllegalStateException("the audit record could not be stored", e2.getCause());
            } catch (TimeoutException e2) {
                throw new IllegalStateException("the audit record was not committed within " + maxWait, e2);
            }
        }
    }

    /**
     * Commits what is queued (the leader's own records first among them), then hands the lead to the oldest
     * request still waiting, or gives it up when none is.
     */
    private void lead(Pending own) {
        List<Pending> batch = new ArrayList<>();
        try {
            synchronized (lock) {
                int records = 0;
                while (!queue.isEmpty() && (batch.isEmpty() || records + queue.peekFirst().records().size() <= maxBatch)) {
                    Pending next = queue.pollFirst();
                    batch.add(next);
                    records += next.records().size();
                }
                lock.notifyAll();
            }
            commit(batch);
        } finally {
            synchronized (lock) {
                Pending next = queue.peekFirst();
                if (next == null) {
                    leading = false;
                } else {
                    next.turn().complete(Turn.LEAD);
                }
            }
        }
        if (!batch.contains(own)) {
            // Cannot happen: the lead is only ever given to the oldest waiting request. Fail closed if it did.
            throw new IllegalStateException("the audit record was not committed");
        }
        try {
            own.turn().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit record was committed", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the audit record could not be stored", e.getCause());
        }
    }

    /** A request that gives up waiting leaves the queue; if it had been handed the lead, it passes it on. */
    private void abandon(Pending pending) {
        synchronized (lock) {
            boolean handedLead = pending.turn().isDone() && !pending.turn().isCompletedExceptionally()
                    && pending.turn().getNow(null) == Turn.LEAD;
            if (queue.remove(pending)) {
                lock.notifyAll();
            }
            if (handedLead) {
                Pending next = queue.peekFirst();
                if (next == null) {
                    leading = false;
                } else {
                    next.turn().complete(Turn.LEAD);
                }
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<AuditRecord> all = new ArrayList<>();
        for (Pending p : batch) {
            all.addAll(p.records());
        }
        // Auto-commit: the append is one statement, so the batch costs one round trip, commit included.
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            AuditStore.append(c, all);
            for (Pending p : batch) {
                p.turn().complete(Turn.COMMITTED);
            }
        } catch (SQLException | RuntimeException e) {
            log.error("audit batch of {} records could not be stored", all.size(), e);
            for (Pending p : batch) {
                p.turn().completeExceptionally(e);
            }
        }
    }

    /** Refuses further appends; appends under way finish (each is committed by a request thread). */
    @Override
    public void close() {
        closed = true;
    }
}
