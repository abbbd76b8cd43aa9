package org.charnwood.app.repository;

import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this server is running a bulk import. While one runs, the outbox relay holds back the import's own
 * changes (delivering every other change at once), so that deriving scores and refreshing caches for a migration's
 * history does not take the cores the import itself needs; they are delivered when it ends.
 */
@Component
public class BulkImports {

    private final AtomicInteger running = new AtomicInteger();

    /** One import under way until the returned handle is closed. */
    public Running begin() {
        running.incrementAndGet();
        return running::decrementAndGet;
    }

    public boolean running() {
        return running.get() > 0;
    }

    /** An import under way; closing it ends it. */
    @FunctionalInterface
    public interface Running extends AutoCloseable {
        @Override
        void close();
    }
}
