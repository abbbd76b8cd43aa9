package org.charnwood.terminology.dmd;

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
 * A real PostgreSQL for the dm+d tests: started once per test JVM and migrated with the terminology migrations
 * the application runs; {@link #reset()} empties the {@code dmd} schema.
 */
final class DmdTestDatabase {

    private static DmdTestDatabase instance;

    private final EmbeddedPostgres postgres;
    private final HikariDataSource dataSource;

    private DmdTestDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(6);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/terminology").load().migrate();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }

    static synchronized DmdTestDatabase get() {
        if (instance == null) {
            try {
                instance = new DmdTestDatabase();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    DataSource dataSource() {
        return dataSource;
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    do $$ declare t text; begin
                      for t in select tablename from pg_tables where schemaname = 'dmd' loop
                        execute 'truncate table dmd.' || quote_ident(t) || ' restart identity cascade';
                      end loop;
                    end $$""");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void execute(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
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
