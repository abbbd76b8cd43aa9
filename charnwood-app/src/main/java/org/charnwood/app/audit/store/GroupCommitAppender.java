package org.charnwood.app.audit.store;

import org.charnwood.app.audit.balp.AuditRecord;
import org.charnwood.fhir.RedactedFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commits audit records for reads before the response is sent, cheaply. A request puts its records on a queue and
 * then takes the chain's lock; whoever holds the lock appends everything queued (up to a batch) to the chain in one
 * transaction and releases every request in the batch at once. When idle a request so commits its own record at
 * once, on its own thread, with no hand-off; under load the requests that queued while one commit ran are committed
 * together by the next holder and find their records done when their turn at the lock comes. If the database
 * cannot take a batch, every request in it fails, so no response goes out unaudited. Batches go to the read chain
 * ({@link ReadChain}), which only the lock's holder touches.
 */
public final class GroupCommitAppender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitAppender.class);

    private record Pending(List<AuditRecord> records, CompletableFuture<Void> done) {
    }

    private final ReadChain chain;
    /** Records waiting for a commit: at most one entry per request waiting in {@link #appendAndWait}. */
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();
    private final int maxBatch;
    private final Duration maxWait;
    private volatile boolean closed;

    public GroupCommitAppender(DataSource dataSource, int maxBatch, Duration maxWait) {
        this.chain = new ReadChain(dataSource);
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
    }

    /** Appends the records and returns once they are committed. */
    public void appendAndWait(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("the audit trail is shut down: refusing to go on unaudited");
        }
        Pending mine = new Pending(records, new CompletableFuture<>());
        long deadline = System.nanoTime() + maxWait.toNanos();
        queue.add(mine);
        try {
            while (!mine.done().isDone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !writer.tryLock(left, TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("the audit record was not committed within " + maxWait);
                }
                try {
                    commitUntilDone(mine);
                } finally {
                    writer.unlock();
                }
            }
            mine.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit record was committed", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the audit record could not be stored", e.getCause());
        }
    }

    /**
     * Commits queued batches, oldest first, until {@code mine} is among the committed (or failed). Called holding the
     * lock; whoever takes a record off the queue settles it before letting the lock go, so a record that is not done
     * yet is still queued.
     */
    private void commitUntilDone(Pending mine) {
        List<Pending> batch = new ArrayList<>();
        while (!mine.done().isDone()) {
            int records = 0;
            Pending next;
            while (records < maxBatch && (next = queue.poll()) != null) {
                batch.add(next);
                records += next.records().size();
            }
            if (batch.isEmpty()) {
                mine.done().completeExceptionally(new IllegalStateException("the audit record left the queue unsettled"));
                return;
            }
            commit(batch);
            batch.clear();
        }
    }

    private void commit(List<Pending> batch) {
        List<AuditRecord> all = new ArrayList<>();
        for (Pending p : batch) {
            all.addAll(p.records());
        }
        try {
            if (closed) {
                throw new IllegalStateException("the audit trail is shut down");
            }
            chain.append(all);
            for (Pending p : batch) {
                p.done().complete(null);
            }
        } catch (SQLException | RuntimeException e) {
            // Without the messages: a refused row is quoted in them, and audit rows name patients and their queries.
            log.error("audit batch of {} records could not be stored", all.size(), RedactedFailure.of(e));
            for (Pending p : batch) {
                p.done().completeExceptionally(e);
            }
        }
    }

    /** Whether this appender extends the read chain itself (false: another server does). */
    public boolean ownsReadChain() {
        writer.lock();
        try {
            return chain.owned();
        } finally {
            writer.unlock();
        }
    }

    /** Refuses new records, lets a commit under way finish, and gives the chain up. */
    @Override
    public void close() {
        closed = true;
        try {
            if (writer.tryLock(5, TimeUnit.SECONDS)) {
                try {
                    chain.close();
                } finally {
                    writer.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
