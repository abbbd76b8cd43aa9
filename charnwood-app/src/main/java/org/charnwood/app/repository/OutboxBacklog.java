package org.charnwood.app.repository;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far the outbox relay is behind: the number of committed changes waiting to be delivered to their listeners
 * ({@code charnwood_outbox_pending} in Prometheus). It should sit near zero; a backlog that grows means the listeners
 * (NEWS2 scoring, escalations, board events, relationship caches) lag behind what is written, so alerts come late.
 * Beside it, the events set aside after their listeners kept failing ({@code charnwood_outbox_set_aside}): they wait
 * for a person, not for the relay, so they are counted apart and not in the backlog. Anything above zero there is
 * derived data missing until the events are replayed (docs/operations.md). Both are read at each scrape, through the
 * outbox's partial indexes; neither is part of the health checks, since a set-aside event does not stop this server
 * from serving.
 */
@Component
class OutboxBacklog {

    OutboxBacklog(JdbcTemplate jdbc, SetAsideEvents setAside, MeterRegistry registry) {
        Gauge.builder("charnwood.outbox.pending", jdbc, OutboxBacklog::pending)
                .description("Committed changes waiting to be delivered by the outbox relay")
                .register(registry);
        Gauge.builder("charnwood.outbox.set.aside", setAside, SetAsideEvents::count)
                .description("Outbox events set aside after their listeners failed, waiting to be replayed")
                .register(registry);
    }

    private static double pending(JdbcTemplate jdbc) {
        Long n = jdbc.queryForObject("select count(*) from fhir_outbox where " + OutboxRelay.PENDING, Long.class);
        return n == null ? 0 : n;
    }
}
