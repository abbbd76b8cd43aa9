package org.charnwood.app.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The readiness check's look at the database, on a connection of its own rather than one from the application's
 * pool. Under load the pool can be fully lent out for a while; a check that waited its turn there would wait for
 * the pool's connection timeout (30 s) and then fail, taking every node out of the load balancer together at the
 * busiest moment. This connection is kept between checks and opened again when it has broken, with a deadline of a
 * few seconds for connecting and for the query, so a database that cannot be reached still makes the node unready,
 * promptly. Named {@code dbHealthIndicator}, it takes the place of Spring Boot's pool-based {@code db} check.
 */
@Component("dbHealthIndicator")
class DatabaseReadinessProbe implements HealthIndicator, DisposableBean {

    /** Seconds allowed to open the connection, and to answer the query. */
    static final int DEADLINE_SECONDS = 2;

    private final String url;
    private final Properties properties;
    private Connection connection;

    @Autowired
    DatabaseReadinessProbe(DataSource dataSource) throws SQLException {
        this(dataSource.unwrap(HikariDataSource.class).getJdbcUrl(),
                PoolSettings.of(dataSource.unwrap(HikariDataSource.class)));
    }

    DatabaseReadinessProbe(String url, Properties properties) {
        this.url = url;
        this.properties = properties;
    }

    @Override
    public synchronized Health health() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = open();
            }
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(DEADLINE_SECONDS);
                statement.execute("select 1");
            }
            return Health.up().build();
        } catch (SQLException | RuntimeException e) {
            close();
            // The type only: a driver's message can name the server and its user.
            return Health.down().withDetail("error", e.getClass().getName()).build();
        }
    }

    private Connection open() throws SQLException {
        Properties connecting = new Properties();
        connecting.putAll(properties);
        connecting.setProperty("connectTimeout", Integer.toString(DEADLINE_SECONDS));
        connecting.setProperty("loginTimeout", Integer.toString(DEADLINE_SECONDS));
        // A server that stops answering mid-query is given up on too, not waited for.
        connecting.setProperty("socketTimeout", Integer.toString(DEADLINE_SECONDS + 1));
        connecting.setProperty("ApplicationName", "charnwood-readiness");
        return DriverManager.getConnection(url, connecting);
    }

    private void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Broken already: it is opened afresh at the next check.
            }
            connection = null;
        }
    }

    @Override
    public synchronized void destroy() {
        close();
    }
}
