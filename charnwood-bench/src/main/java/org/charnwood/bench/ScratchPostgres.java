package org.charnwood.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A throw-away PostgreSQL for the raw baselines: the same embedded binaries and the same server settings as the
 * application's embedded mode, in a temporary folder removed on close, so the baseline differs from Charnwood
 * only in what is written, not in where.
 */
final class ScratchPostgres implements AutoCloseable {

    private final ScratchFolder folder;
    private final EmbeddedPostgres postgres;

    private ScratchPostgres(ScratchFolder folder, EmbeddedPostgres postgres) {
        this.folder = folder;
        this.postgres = postgres;
    }

    static ScratchPostgres start() {
        ScratchFolder folder = ScratchFolder.create("charnwood-baseline-pg");
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(folder.path())
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Keep in step with the application's EmbeddedDatabaseConfiguration.
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("autovacuum_naptime", "10s")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            return new ScratchPostgres(folder, postgres);
        } catch (IOException e) {
            folder.close();
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            folder.close();
        }
    }
}
