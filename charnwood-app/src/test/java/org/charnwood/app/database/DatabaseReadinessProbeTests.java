package org.charnwood.app.database;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readiness probe against a database that cannot be reached: it answers DOWN within its own deadline, and
 * does not wait as long as a connection from the pool would (30 s).
 */
class DatabaseReadinessProbeTests {

    @Test
    void aDatabaseRefusingConnectionsIsDownAtOnce() {
        assertDownPromptly("jdbc:postgresql://127.0.0.1:1/charnwood");
    }

    @Test
    void aDatabaseThatNeverAnswersIsDownWithinTheProbesDeadline() {
        // An address from TEST-NET-1 (RFC 5737): nothing answers there, so the connection attempt would hang.
        assertDownPromptly("jdbc:postgresql://192.0.2.1:5432/charnwood");
    }

    private static void assertDownPromptly(String url) {
        Properties properties = new Properties();
        properties.setProperty("user", "charnwood");
        DatabaseReadinessProbe probe = new DatabaseReadinessProbe(url, properties);

        long started = System.nanoTime();
        Health health = probe.health();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        probe.destroy();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(took).isLessThan(Duration.ofSeconds(DatabaseReadinessProbe.DEADLINE_SECONDS + 2));
    }
}
