package org.charnwood.app.audit.store;

import org.charnwood.app.audit.balp.AuditRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Commits audit records for reads before the response is sent, cheaply: callers put their records on a
 * bounded queue and wait; one thread takes whatever has queued up (up to a batch), appends it to the
 * chain in one transaction and releases every caller in the batch at once. Under load many requests
 * share one commit; when idle a record commits alone at once. A full queue makes callers wait (back
 * pressure) rather than drop records. If the database cannot take the batch the callers fail, so no
 * response goes out unaudited. Batches go to the read chain ({@link ReadChain}), which this thread owns.
 */
public final class GroupCommitAppender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitAppender.class);

    private record Pending(List<AuditRecord> records, CompletableFuture<Void> done) {
    }

    private final ReadChain chain;
    private final BlockingQueue<Pending> queue;
    private final int maxBatch;
    private final Duration maxWait;
    private final Thread writer;
    private volatile boolean running = true;

    public GroupCommitAppender(DataSource dataSource, int queueCapacity, int maxBatch, Duration maxWait) {
        this.chain = new ReadChain(dataSource);
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.writer = Thread.ofPlatform().name("audit-appender").daemon(true).unstarted(this::run);
        this.writer.start();
    }

    /** Appends the records and returns once they are committed. */
    public void appendAndWait(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Pending pending = new Pending(records, new CompletableFuture<>());
        try {
            if (!queue.offer(pending, maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("audit queue full for " + maxWait + ": refusing to go on unaudited");
            }
            pending.done().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit record was committed", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the audit record could not be stored", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the audit record was not committed within " + maxWait, e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int records = first.records().size();
                while (records < maxBatch) {
                    Pending next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    records += next.records().size();
                }
                commit(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        List<AuditRecord> all = new ArrayList<>();
        for (Pending p : batch) {
            all.addAll(p.records());
        }
        try {
            chain.append(all);
            for (Pending p : batch) {
                p.done().complete(null);
            }
        } catch (SQLException | RuntimeException e) {
            log.error("audit batch of {} records could not be stored", all.size(), e);
            for (Pending p : batch) {
                p.done().completeExceptionally(e);
            }
        }
    }

    /** Whether this appender extends the read chain itself (false: another server does). */
    public boolean ownsReadChain() {
        return chain.owned();
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!writer.isAlive()) {
            chain.close();
        }
    }
}
