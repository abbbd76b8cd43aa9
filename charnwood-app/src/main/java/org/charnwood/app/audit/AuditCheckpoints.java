package org.charnwood.app.audit;

import org.charnwood.app.audit.store.ChainCheckpoints;
import org.charnwood.app.audit.store.ChainCheckpoints.Checkpoint;
import org.charnwood.fhir.RedactedFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes where each audit chain ends, every {@code charnwood.audit.checkpoint-interval} and when the application
 * stops, to two places outside the audit tables: a line appended to the checkpoint file in the data folder (forced to
 * disk) and the same line in the application's log ({@code audit checkpoint chain=1 seq=... hash=...}, with the
 * values as structured fields too). Verification then holds the chains to every checkpoint published
 * ({@link ChainCheckpoints}), so rows removed from the end of a chain through the database alone are reported
 * instead of leaving a shorter chain that looks whole. A chain is published again only when it has grown.
 *
 * <p>If the row last published for a chain is no longer there, the chain is not published (the file keeps the
 * checkpoint that shows the loss) and the loss is logged as an error at once.
 *
 * <p>Nothing is published until {@link #start()}, called once the application is ready: the bean is made before the
 * database migrations have necessarily run, and on a slow first start the audit tables would not be there yet. An
 * application that stops before it was ready publishes nothing either.
 */
final class AuditCheckpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);

    private final DataSource dataSource;
    private final Path file;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    /** What was last published for each chain. */
    private final Map<Integer, Checkpoint> published = new HashMap<>();
    private boolean started;
    private boolean closed;

    AuditCheckpoints(DataSource dataSource, Path file, Duration interval, Clock clock) {
        this.dataSource = dataSource;
        this.file = file;
        this.clock = clock;
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-checkpoints");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts publishing every interval; called once the schema is migrated, when the application is ready. */
    void start() {
        synchronized (this) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        long every = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::publishQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** The file the checkpoints are appended to. */
    Path file() {
        return file;
    }

    /** Publishes each chain's end if it has grown since it was last published; returns what was published. */
    synchronized List<Checkpoint> publish() throws SQLException, IOException {
        Map<Integer, Long> from = new HashMap<>();
        published.forEach((chain, c) -> from.put(chain, c.seq()));
        List<Checkpoint> tails;
        try (Connection c = dataSource.getConnection()) {
            tails = ChainCheckpoints.tails(c, from);
        }
        List<Checkpoint> fresh = new ArrayList<>();
        for (Checkpoint tail : tails) {
            if (!tail.equals(published.get(tail.chain()))) {
                fresh.add(tail);
            }
        }
        for (Checkpoint before : published.values()) {
            if (tails.stream().noneMatch(t -> t.chain() == before.chain())) {
                log.error("audit chain {} has lost rows from its end: seq {}, last published for it, is gone;"
                        + " run the audit chain verification", before.chain(), before.seq());
            } else if (tails.stream().anyMatch(t -> t.chain() == before.chain() && t.seq() == before.seq()
                    && !t.hash().equals(before.hash()))) {
                log.error("audit chain {} was rewritten: the row at seq {} no longer has the hash last published"
                        + " for it; run the audit chain verification", before.chain(), before.seq());
                fresh.removeIf(t -> t.chain() == before.chain());
            }
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        String at = clock.instant().toString();
        ChainCheckpoints.append(file, fresh.stream().map(c -> at + " audit checkpoint " + c.text()).toList());
        for (Checkpoint c : fresh) {
            log.atInfo().addKeyValue("audit.chain", c.chain()).addKeyValue("audit.seq", c.seq())
                    .addKeyValue("audit.hash", c.hash()).log("audit checkpoint {}", c.text());
            published.put(c.chain(), c);
        }
        return fresh;
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (SQLException | IOException | RuntimeException e) {
            log.warn("audit checkpoint could not be published", RedactedFailure.of(e));
        }
    }

    /**
     * Publishes the chains' ends once more, as the application stops, after the last request was recorded; not if it
     * never became ready, when the audit tables may not exist.
     */
    @Override
    public void close() {
        boolean wasStarted;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wasStarted = started;
        }
        timer.shutdownNow();
        if (wasStarted) {
            publishQuietly();
        }
    }
}
