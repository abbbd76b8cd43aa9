package org.charnwood.app.repository;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.ResourceChanged;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operations API over the outbox's set-aside events: the trust's IT team sees what a failing listener left
 * undelivered, and once the fault is fixed replays it, so the derived data it would have made is made after all.
 */
class SetAsideEventsIntegrationTests extends CharnwoodIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LIST = "/api/operations/outbox/set-aside";
    private static final String REPLAY_ALL = "/api/operations/outbox/set-aside/replay";

    @Autowired
    ConfigurableApplicationContext context;

    /** A listener with a fault for one Observation until it is fixed; what it took, in order. */
    private final AtomicBoolean faulty = new AtomicBoolean(true);
    private final AtomicInteger tries = new AtomicInteger();
    private final List<String> taken = new CopyOnWriteArrayList<>();
    private ApplicationListener<?> listener;

    private FhirHttp itTeam;

    @BeforeEach
    void listen() {
        listener = ApplicationListener.<ResourceChanged>forPayload(change -> {
            if (faulty.get() && change.resourceId().equals("obs-poison")) {
                tries.incrementAndGet();
                throw new IllegalStateException("a listener's fault, naming nobody");
            }
            taken.add(change.resourceId());
        });
        context.addApplicationListener(listener);
        itTeam = http.as(tokens.bearer(Caller.staff("Practitioner/it-001", AccessRole.SYSTEM_ADMINISTRATOR)
                .scopes("charnwood/operations")));
    }

    @AfterEach
    void stopListening() {
        context.removeApplicationListener(listener);
    }

    @Test
    void anEventSetAsideIsListedAndDeliveredWhenReplayedAfterTheFaultIsFixed() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) values "
                + "('Observation', 'obs-before', 1, 'C', now()), ('Observation', 'obs-poison', 2, 'U', now()), "
                + "('Observation', 'obs-after', 1, 'C', now())");
        long seq = jdbc.queryForObject("select seq from fhir_outbox where res_id = 'obs-poison'", Long.class);

        // Only the failing resource's own events wait for its retries (1 s, then 5 s): the others go on at once.
        await().atMost(Duration.ofSeconds(30)).until(() -> taken.contains("obs-after")
                && rows("fhir_outbox where res_id = 'obs-poison' and set_aside_at is not null") == 1);

        assertThat(tries).hasValue(OutboxRelay.MAX_ATTEMPTS);
        assertThat(taken.stream().distinct().toList()).containsExactly("obs-before", "obs-after");
        Response listed = itTeam.get(LIST);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        JsonNode events = JSON.readTree(listed.body());
        assertThat(events.size()).isEqualTo(1);
        JsonNode event = events.get(0);
        assertThat(event.get("seq").asLong()).isEqualTo(seq);
        assertThat(event.get("resourceType").asString()).isEqualTo("Observation");
        assertThat(event.get("resourceId").asString()).isEqualTo("obs-poison");
        assertThat(event.get("version").asInt()).isEqualTo(2);
        assertThat(event.get("method").asString()).isEqualTo("UPDATE");
        assertThat(event.get("occurred").isNull()).isFalse();
        assertThat(event.get("setAsideAt").isNull()).isFalse();
        assertThat(event.get("attempts").asInt()).isEqualTo(OutboxRelay.MAX_ATTEMPTS);
        assertThat(event.get("failure").asString()).isEqualTo(IllegalStateException.class.getName());
        assertThat(listed.body()).doesNotContain("naming nobody");
        // Counted apart from the backlog, and no reason to take this server out of service.
        assertThat(metric("charnwood_outbox_set_aside")).isEqualTo("1.0");
        assertThat(metric("charnwood_outbox_pending")).isEqualTo("0.0");
        assertThat(http.anonymous().get("/actuator/health/readiness").body()).contains("\"UP\"");

        faulty.set(false);
        Response replayed = itTeam.post(LIST + "/" + seq + "/replay", "", "application/json");

        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> taken.contains("obs-poison"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                rows("fhir_outbox where res_id = 'obs-poison' and delivered_at is not null") == 1);
        assertThat(jdbc.queryForObject("select attempts from fhir_outbox where seq = ?", Integer.class, seq)).isZero();
        assertThat(JSON.readTree(itTeam.get(LIST).body()).size()).isZero();
        assertThat(metric("charnwood_outbox_set_aside")).isEqualTo("0.0");

        // Each call is in the audit trail as the administrator's, naming the event by its number only.
        List<AuditEvent> replays = audited("outbox-replayed", start);
        assertThat(replays).hasSize(1);
        assertThat(replays.get(0).getAgentFirstRep().getWho().getReference()).isEqualTo("Practitioner/it-001");
        assertThat(replays.get(0).getEntityFirstRep().getDescription()).contains(seq + " (Observation)")
                .doesNotContain("obs-poison");
        assertThat(audited("outbox-set-aside-listed", start)).hasSize(2)
                .allSatisfy(e -> assertThat(e.getAgentFirstRep().getWho().getReference())
                        .isEqualTo("Practitioner/it-001"));
    }

    @Test
    void replayingAllPutsEverySetAsideEventBackAndReplayingOneNotSetAsideIsNotFound() throws Exception {
        faulty.set(false);
        setAside("obs-1");
        setAside("obs-2");

        Response replayed = itTeam.post(REPLAY_ALL, "", "application/json");

        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
        assertThat(JSON.readTree(replayed.body()).get("replayed").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> taken.containsAll(List.of("obs-1", "obs-2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("fhir_outbox where delivered_at is null") == 0);
        long delivered = jdbc.queryForObject("select seq from fhir_outbox where res_id = 'obs-1'", Long.class);
        assertThat(itTeam.post(LIST + "/" + delivered + "/replay", "", "application/json").status())
                .isEqualTo(404);
        assertThat(JSON.readTree(itTeam.post(REPLAY_ALL, "", "application/json").body()).get("replayed").asInt())
                .isZero();
    }

    @Test
    void onlySystemAdministratorsWhoseTokenWasGrantedTheOperationsScopeMayListOrReplay() {
        setAside("obs-held");
        long seq = jdbc.queryForObject("select seq from fhir_outbox where res_id = 'obs-held'", Long.class);
        FhirHttp nurse = http.as(tokens.bearer(Caller.staff("Practitioner/nurse-001", AccessRole.REGISTERED_NURSE)
                .scopes("charnwood/operations")));
        FhirHttp adminApp = http.as(tokens.bearer(Caller.staff("Practitioner/it-001",
                AccessRole.SYSTEM_ADMINISTRATOR)));

        for (String[] call : new String[][]{{"GET", LIST}, {"POST", LIST + "/" + seq + "/replay"}, {"POST", REPLAY_ALL}}) {
            String what = call[0] + " " + call[1];
            assertThat(send(http.anonymous(), call).status()).as("nobody: " + what).isEqualTo(401);
            assertThat(send(nurse, call).status()).as("a nurse: " + what).isEqualTo(403);
            assertThat(send(adminApp, call).status()).as("an app not granted the scope: " + what).isEqualTo(403);
            assertThat(send(http, call).status()).as("a backend system: " + what).isEqualTo(403);
        }
        assertThat(rows("fhir_outbox where set_aside_at is not null and attempts = 3")).isEqualTo(1);
    }

    private static Response send(FhirHttp caller, String[] call) {
        return caller.send(call[0], call[1], call[0].equals("GET") ? null : "", "application/json");
    }

    /** An event already set aside by the relay. */
    private void setAside(String observationId) {
        jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at, attempts, set_aside_at, "
                + "last_failure) values ('Observation', ?, 1, 'C', now(), 3, now(), 'java.lang.IllegalStateException')",
                observationId);
    }

    private String metric(String name) {
        return http.as(METRICS_TOKEN).get("/actuator/prometheus").body().lines()
                .filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow()
                .substring(name.length() + 1);
    }

    /** The audit trail outlives each test: the events of this kind recorded since it started. */
    private List<AuditEvent> audited(String subtype, Instant since) {
        return http.get("/fhir/AuditEvent?subtype=" + subtype + "&date=ge" + since).bundle().getEntry().stream()
                .map(e -> (AuditEvent) e.getResource())
                .filter(e -> !e.getRecorded().toInstant().isBefore(since))
                .toList();
    }
}
