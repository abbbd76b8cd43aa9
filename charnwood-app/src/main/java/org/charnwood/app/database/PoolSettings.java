package org.charnwood.app.database;

import com.zaxxer.hikari.HikariDataSource;
import java.util.Properties;

/**
 * The driver settings of the application's connection pool, for a connection opened outside it. Such a connection
 * must carry the pool's own driver properties as well as its user and password: among them is
 * {@code logServerErrorDetail=false}, which keeps the values of a failed statement (patient data) out of exception
 * messages.
 */
public final class PoolSettings {

    private PoolSettings() {
    }

    /** The pool's driver properties, user and password, as {@code DriverManager.getConnection} takes them. */
    public static Properties of(HikariDataSource pool) {
        Properties properties = new Properties();
        properties.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        return properties;
    }
}
