package org.charnwood.fhir.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server for the library's tests: started once per test JVM, migrated with the
 * same Flyway scripts the application runs, emptied between tests with {@link #reset()}.
 */
public final class TestDatabase {

    private static TestDatabase instance;

    private final EmbeddedPostgres postgres;
    private final HikariDataSource dataSource;

    private TestDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(8);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/fhir").load().migrate();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            try {
                instance = new TestDatabase();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Empties every table the migrations made (keeps the schema). */
    public void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    do $$ declare t text; begin
                      for t in select tablename from pg_tables where schemaname = 'public'
                               and tablename <> 'flyway_schema_history' loop
                        execute 'truncate table ' || quote_ident(t) || ' restart identity cascade';
                      end loop;
                    end $$""");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A single number from SQL, for tests that check what the database really holds. */
    public long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void close() {
        try {
            dataSource.close();
            postgres.close();
        } catch (IOException e) {
            // the JVM is exiting; nothing more to do
        }
    }
}
