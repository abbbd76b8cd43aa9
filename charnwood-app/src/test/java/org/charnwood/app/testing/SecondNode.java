package org.charnwood.app.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.zaxxer.hikari.HikariDataSource;
import org.charnwood.app.CharnwoodApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Another node of the application beside the one under test: a second application context in the same JVM, with its
 * own web server, data folder and memory, on the same database, with the same settings and token signing key, as a
 * node behind the same load balancer has (or the same server after a restart). Starting one takes a good part of a
 * minute: a test class starts it once, when it is first needed, and closes it when it is done.
 */
public final class SecondNode implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SecondNode(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts a node beside the running application {@code first}. */
    public static SecondNode beside(ConfigurableApplicationContext first) {
        Map<String, Object> settings = new HashMap<>();
        for (PropertySource<?> source : first.getEnvironment().getPropertySources()) {
            // The test's own settings; reading the data folder's makes this node a folder of its own.
            if (source instanceof EnumerablePropertySource<?> e
                    && (source.getName().contains("Dynamic") || source.getName().contains("Inlined"))) {
                for (String name : e.getPropertyNames()) {
                    settings.putIfAbsent(name, e.getProperty(name));
                }
            }
        }
        HikariDataSource db = (HikariDataSource) first.getBean(DataSource.class);
        settings.put("spring.datasource.url", db.getJdbcUrl());
        settings.put("spring.datasource.username", db.getUsername());
        settings.put("server.port", "0");
        // Every node of a deployment signs with the same key, so a token issued by one is good at the others.
        settings.put("charnwood.security.signing-key", pem(first.getBean(RSAKey.class)));
        // As arguments: default properties would lose to the application's own settings file.
        return new SecondNode(new SpringApplicationBuilder(CharnwoodApplication.class).run(settings.entrySet()
                .stream().map(s -> "--" + s.getKey() + "=" + s.getValue()).toArray(String[]::new)));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Tokens issued by this node's authorisation server. */
    public TestTokens tokens() {
        return new TestTokens(port(), context.getBean(JdbcTemplate.class));
    }

    @Override
    public void close() {
        context.close();
    }

    private static String pem(RSAKey key) {
        try {
            return "-----BEGIN PRIVATE KEY-----" + Base64.getEncoder().encodeToString(key.toRSAPrivateKey().getEncoded())
                    + "-----END PRIVATE KEY-----";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
