package org.charnwood.app.repository;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Tells every node which outbox rows this node's relay has delivered, with PostgreSQL's {@code pg_notify} on
 * {@link ChangeNotices#CHANNEL}, inside the relay's transaction: PostgreSQL sends a notification only when its
 * transaction commits, so a notice never names a delivery that was rolled back. Each application process names
 * itself afresh when it starts, so it can tell its own notices from the others' ({@link ChangesFromOtherNodes}).
 */
@Component
class ChangeBroadcast {

    private final JdbcTemplate jdbc;
    private final String node;

    ChangeBroadcast(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        this.node = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // A listening session that stops reading holds the queue back for every session; once it is full, no relay
        // can commit a delivery. PostgreSQL warns in its own log at half full; this shows it before then.
        Gauge.builder("charnwood.changes.notify.queue", jdbc, ChangeBroadcast::queueUsage)
                .description("Fraction of PostgreSQL's notification queue in use (pg_notification_queue_usage)")
                .register(registry);
    }

    private static double queueUsage(JdbcTemplate jdbc) {
        Double used = jdbc.queryForObject("select pg_notification_queue_usage()", Double.class);
        return used == null ? 0 : used;
    }

    /** This node's name in the notices it sends. */
    String node() {
        return node;
    }

    /** Notifies every listening node, when the current transaction commits, that these rows were delivered. */
    void announce(long[] sequences) {
        List<String> payloads = ChangeNotices.payloads(node, sequences);
        if (!payloads.isEmpty()) {
            jdbc.query("select pg_notify(?, p) from unnest(?::text[]) p", rs -> {
            }, ChangeNotices.CHANNEL, payloads.toArray(String[]::new));
        }
    }
}
