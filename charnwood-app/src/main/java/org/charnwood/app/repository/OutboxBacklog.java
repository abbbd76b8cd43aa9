package org.charnwood.app.repository;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far the outbox relay is behind: the number of committed changes waiting to be delivered to their listeners
 * ({@code charnwood_outbox_pending} in Prometheus). It should sit near zero; a backlog that grows means the listeners
 * (NEWS2 scoring, escalations, board events, relationship caches) lag behind what is written, so alerts come late.
 * Events set aside after their listeners kept failing wait for a person, not for the relay, and are not counted.
 * Read at each scrape, through the outbox's partial index of pending rows.
 */
@Component
class OutboxBacklog {

    OutboxBacklog(JdbcTemplate jdbc, MeterRegistry registry) {
        Gauge.builder("charnwood.outbox.pending", jdbc, OutboxBacklog::pending)
                .description("Committed changes not yet delivered by the outbox relay")
                .register(registry);
    }

    private static double pending(JdbcTemplate jdbc) {
        Long n = jdbc.queryForObject("select count(*) from fhir_outbox where " + OutboxRelay.PENDING, Long.class);
        return n == null ? 0 : n;
    }
}
