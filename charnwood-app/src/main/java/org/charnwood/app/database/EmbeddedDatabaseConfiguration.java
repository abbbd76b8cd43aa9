package org.charnwood.app.database;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs a real PostgreSQL server inside the application when no external database is configured,
 * so that one command gives a working platform. Its data lives under {@code charnwood.data-dir}
 * and survives restarts. Not for production: there, set {@code spring.datasource.url}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    /**
     * The server is stopped by this bean's {@code close} alone, when the application context closes: Spring
     * destroys beans in the reverse order of their dependencies, so it runs after the web server's graceful
     * shutdown has let in-flight requests (and their writes) finish, and after every bean that uses the data
     * source (the outbox relay, the audit appenders, the last audit checkpoint) and the connection pool have
     * closed. Spring Boot's own shutdown hook closes the context on SIGTERM.
     */
    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DataFolderLock folder, @Value("${charnwood.data-dir}") String dataDir)
            throws IOException {
        Path dir = Path.of(dataDir).toAbsolutePath().resolve("postgres");
        Files.createDirectories(dir);
        LeftoverServer.stopIn(dir);
        log.info("Starting embedded PostgreSQL; data kept in {}", dir);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_connections", "100")
                .setServerConfig("max_wal_size", "2GB")
                // Autovacuum looks at the database every 10 s rather than every minute, so the planner's
                // statistics catch up within seconds of a load into empty tables; until they do, every index
                // probe is estimated at one row and patient searches can start from the wrong index.
                .setServerConfig("autovacuum_naptime", "10s")
                // The library's defaults suit throwaway test databases: it starts the server with fsync off and
                // acknowledges commits before they reach the disk. This server holds the record, and a change, or
                // a read's audit record, must survive a crash once it has been acknowledged. So both are put back
                // to PostgreSQL's own defaults (a later -c overrides the library's -F).
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // By default the library adds a JVM shutdown hook of its own that stops the server. JVM shutdown
                // hooks run all at once, so on SIGTERM that hook stopped PostgreSQL at the moment Spring's graceful
                // shutdown began: in-flight writes were cut off, the web server waited out its grace period for
                // requests that could no longer finish, and the final audit checkpoint could not be read.
                .setRegisterShutdownHook(false)
                .start();
    }

    /**
     * The data folder, held for as long as the embedded server runs: it is released after the server has stopped,
     * since Spring destroys a bean only after those that depend on it.
     */
    @Bean(destroyMethod = "close")
    DataFolderLock dataFolderLock(@Value("${charnwood.data-dir}") String dataDir) throws IOException {
        return DataFolderLock.take(Path.of(dataDir).toAbsolutePath());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        return ds;
    }
}
