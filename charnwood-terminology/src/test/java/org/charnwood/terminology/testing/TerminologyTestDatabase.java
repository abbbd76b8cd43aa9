package org.charnwood.terminology.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL for the terminology tests: started once per test JVM and migrated with the terminology
 * migrations; {@link #reset()} rebuilds the schema so every test starts with no release loaded.
 */
public final class TerminologyTestDatabase {

    private static TerminologyTestDatabase instance;

    private final EmbeddedPostgres postgres;
    private final HikariDataSource dataSource;
    private final Flyway flyway;

    private TerminologyTestDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(6);
        dataSource = new HikariDataSource(config);
        flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/terminology").load();
        flyway.migrate();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }

    public static synchronized TerminologyTestDatabase get() {
        if (instance == null) {
            try {
                instance = new TerminologyTestDatabase();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Drops every release (and its partitions) by rebuilding the schema from the migrations. */
    public void reset() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // The history is replayed from the start, so every schema the migrations create must go (dm+d too).
            s.execute("drop schema if exists snomed cascade");
            s.execute("drop schema if exists dmd cascade");
            s.execute("truncate table flyway_schema_history");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        flyway.migrate();
    }

    public long count(String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The synthetic sample release shipped with the module. */
    public static Path syntheticSample() {
        return sample("SnomedCT_CharnwoodSyntheticRF2_ZZ9999999_20250101");
    }

    /** SNOMED International's small test snapshot (concrete values, US English only). */
    public static Path miniSample() {
        return sample("SnomedCT_MiniRF2_snowstorm_INT_20210131");
    }

    private static Path sample(String name) {
        try {
            return Path.of(TerminologyTestDatabase.class.getClassLoader()
                    .getResource("terminology/snomed-sample/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void close() {
        try {
            dataSource.close();
            postgres.close();
        } catch (IOException e) {
            // the JVM is exiting
        }
    }
}
