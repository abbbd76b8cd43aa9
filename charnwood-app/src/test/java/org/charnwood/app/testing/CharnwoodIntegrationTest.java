package org.charnwood.app.testing;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole platform running on a random port with its embedded PostgreSQL in a fresh folder.
 * Every integration test class extends this, so they share one running application; each test
 * starts with empty clinical tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.structured.format.console=", "charnwood.fhir.max-request-bytes=2MB"})
public abstract class CharnwoodIntegrationTest {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected FhirHttp http;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        // Called once per application context: each gets its own database folder.
        registry.add("charnwood.data-dir", () -> createDataDir().toString());
    }

    @BeforeEach
    void emptyTables() {
        http = new FhirHttp(port);
        emptyClinicalTables();
    }

    /**
     * Truncates every table. The outbox relay may be inside a listener that is reading the store while holding
     * its own transaction open; a truncate queued behind it would block that read, so each attempt gives up
     * after a short lock timeout and is retried once the relay has moved on.
     */
    private void emptyClinicalTables() {
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.execute("""
                        do $$ declare t text; begin
                          set local lock_timeout = '2s';
                          for t in select tablename from pg_tables where schemaname = 'public'
                                   and tablename <> 'flyway_schema_history' loop
                            execute 'truncate table ' || quote_ident(t) || ' restart identity cascade';
                          end loop;
                        end $$""");
                return;
            } catch (org.springframework.dao.DataAccessException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Rows in a table: tests check the database, not just the status code. */
    protected long rows(String table) {
        Long n = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return n == null ? 0 : n;
    }

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("charnwood-test-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
