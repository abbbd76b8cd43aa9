package org.charnwood.app.repository;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * How far the outbox relay is behind: the number of committed changes waiting to be delivered to their listeners
 * ({@code charnwood_outbox_pending} in Prometheus). It should sit near zero; a backlog that grows means the listeners
 * (NEWS2 scoring, escalations, board events, relationship caches) lag behind what is written, so alerts come late;
 * how late is the age of the oldest live change waiting ({@code charnwood_outbox_oldest_pending_seconds}).
 * Of those, the events whose listeners failed and that wait to be tried again ({@code charnwood_outbox_retrying}).
 * Beside them, the events set aside after their listeners kept failing ({@code charnwood_outbox_set_aside}): they wait
 * for a person, not for the relay, so they are counted apart and not in the backlog. Anything above zero there is
 * derived data missing until the events are replayed (docs/operations.md). All are read at each scrape, through the
 * outbox's partial indexes; none is part of the health checks: the backlog is shared by every node, so a readiness
 * that followed it would take them all out of service together, and a set-aside event does not stop a node serving.
 */
@Component
class OutboxBacklog {

    OutboxBacklog(JdbcTemplate jdbc, SetAsideEvents setAside, MeterRegistry registry) {
        Gauge.builder("charnwood.outbox.pending", jdbc, OutboxBacklog::pending)
                .description("Committed changes waiting to be delivered by the outbox relay")
                .register(registry);
        Gauge.builder("charnwood.outbox.oldest.pending", jdbc, OutboxBacklog::oldestLiveAge)
                .description("How long the oldest live change has waited for the outbox relay, 0 when none waits")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("charnwood.outbox.retrying", jdbc, OutboxBacklog::retrying)
                .description("Outbox events whose listeners failed, waiting to be tried again")
                .register(registry);
        Gauge.builder("charnwood.outbox.set.aside", setAside, SetAsideEvents::count)
                .description("Outbox events set aside after their listeners failed, waiting to be replayed")
                .register(registry);
    }

    /**
     * The age of the oldest change waiting that a bulk import did not make: the delay a ward's NEWS2 escalation or
     * board update is suffering now, which a count alone does not tell (a thousand changes a second behind is fine, one
     * change a minute behind is not). A bulk import's changes wait by design while it runs (decision 16) and are left
     * out, so an import does not set the alert off.
     */
    private static double oldestLiveAge(JdbcTemplate jdbc) {
        List<Double> age = jdbc.queryForList("select extract(epoch from clock_timestamp() - occurred_at)::float8"
                + " from fhir_outbox where " + OutboxRelay.PENDING + " and bulk = false order by seq limit 1",
                Double.class);
        return age.isEmpty() ? 0 : Math.max(0, age.getFirst());
    }

    /** Events whose listeners failed and that wait to be tried again (the partial index {@code fhir_outbox_retrying}). */
    private static double retrying(JdbcTemplate jdbc) {
        Long n = jdbc.queryForObject("select count(*) from fhir_outbox where retry_at is not null and "
                + OutboxRelay.PENDING, Long.class);
        return n == null ? 0 : n;
    }

    private static double pending(JdbcTemplate jdbc) {
        Long n = jdbc.queryForObject("select count(*) from fhir_outbox where " + OutboxRelay.PENDING, Long.class);
        return n == null ? 0 : n;
    }
}
