package org.charnwood.app.repository;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.ResourceChanged;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ResourceChanged events: after commit, again after a crash, never for a rolled-back write; an event no listener can
 * take set aside after three tries, counted on its row.
 */
class OutboxIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    ConfigurableApplicationContext context;

    private final Listener listener = new Listener();
    private ApplicationListener<?> registered;

    @Autowired
    OutboxRelay relay;

    @BeforeEach
    void listen() {
        registered = ApplicationListener.forPayload(listener::on);
        context.addApplicationListener(registered);
    }

    @AfterEach
    void stopListening() {
        context.removeApplicationListener(registered);
    }

    @Test
    void aCommittedWriteIsPublishedAsResourceChanged() {
        listener.events.clear();
        String id = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.Patient.class).getIdElement().getIdPart();

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.changesTo(id).size() == 1);
        ResourceChanged event = listener.changesTo(id).get(0);
        assertThat(event.method()).isEqualTo(ChangeMethod.CREATE);
        assertThat(event.version()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> rows("fhir_outbox where delivered_at is null") == 0);
    }

    @Test
    void anEventNoListenerCanTakeIsSetAsideAfterThreeTriesAndTheEventsAroundItAreDeliveredInOrder() {
        listener.events.clear();
        AtomicInteger tries = new AtomicInteger();
        ApplicationListener<?> faulty = failingFor("poison-1", tries);
        context.addApplicationListener(faulty);
        try {
            jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) values "
                    + "('Patient', 'before-poison-1', 1, 'C', now()), ('Patient', 'poison-1', 1, 'C', now()), "
                    + "('Patient', 'after-poison-1', 1, 'C', now())");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> rows("fhir_outbox where res_id = 'poison-1' and set_aside_at is not null") == 1);
            relay.relayPending();

            assertThat(tries).hasValue(OutboxRelay.MAX_ATTEMPTS);
            // The good events went through in commit order (the one ahead of the failure possibly more than once).
            assertThat(listener.events.stream().map(ResourceChanged::resourceId)
                    .filter(id -> !id.equals("poison-1")).distinct().toList())
                    .containsExactly("before-poison-1", "after-poison-1");
            assertThat(rows("fhir_outbox where delivered_at is null and set_aside_at is null")).isZero();
            // Set aside, not delivered: its attempts and the class of its failure (never a message) are on its row.
            Map<String, Object> poison = jdbc.queryForMap("select attempts, last_failure, set_aside_at, delivered_at "
                    + "from fhir_outbox where res_id = 'poison-1'");
            assertThat(poison.get("attempts")).isEqualTo(OutboxRelay.MAX_ATTEMPTS);
            assertThat(poison.get("last_failure")).isEqualTo(IllegalStateException.class.getName());
            assertThat(poison.get("set_aside_at")).isNotNull();
            assertThat(poison.get("delivered_at")).isNull();
            assertThat(rows("fhir_outbox where res_id <> 'poison-1' and attempts > 0")).isZero();
        } finally {
            context.removeApplicationListener(faulty);
        }
    }

    @Test
    void aFailedEventIsTriedAgainAfterAWaitWithItsResourcesLaterEventsHeldBehindItAndTheRestGoingOn() {
        listener.events.clear();
        AtomicInteger tries = new AtomicInteger();
        List<Long> triedAt = new CopyOnWriteArrayList<>();
        // A fault that passes: the listener fails the first time only.
        ApplicationListener<?> faulty = ApplicationListener.<ResourceChanged>forPayload(change -> {
            if (change.resourceId().equals("flaky-1") && change.version() == 1) {
                triedAt.add(System.nanoTime());
                if (tries.incrementAndGet() == 1) {
                    throw new IllegalStateException("a passing fault");
                }
            }
        });
        context.addApplicationListener(faulty);
        try {
            jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) values "
                    + "('Patient', 'flaky-1', 1, 'C', now()), ('Patient', 'flaky-1', 2, 'U', now()), "
                    + "('Patient', 'other-1', 1, 'C', now())");

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rows("fhir_outbox where res_id = 'flaky-1' and delivered_at is null") == 0);

            assertThat(tries).hasValue(2);
            assertThat(Duration.ofNanos(triedAt.get(1) - triedAt.get(0))).as("the wait before the second try")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            // The other resource's event went on while the failed one waited; its resource's next event waited too.
            List<String> seen = listener.events.stream().map(e -> e.resourceId() + "/" + e.version()).toList();
            assertThat(seen.indexOf("other-1/1")).as("%s", seen).isLessThan(seen.lastIndexOf("flaky-1/1"));
            assertThat(seen.lastIndexOf("flaky-1/1")).as("%s", seen).isLessThan(seen.indexOf("flaky-1/2"));
            assertThat(rows("fhir_outbox where delivered_at is null")).isZero();
            assertThat(rows("fhir_outbox where set_aside_at is not null")).isZero();
        } finally {
            context.removeApplicationListener(faulty);
        }
    }

    @Test
    void aStoppingRelayFinishesTheBatchInHandAndLeavesTheRestForTheNextStart() throws Exception {
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ApplicationListener<?> slow = ApplicationListener.<ResourceChanged>forPayload(change -> {
            if (change.resourceId().equals("backlog-0")) {
                holding.countDown();
                try {
                    release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        context.addApplicationListener(slow);
        try {
            // A backlog of three batches, the relay busy with the first as the server begins to stop.
            jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) "
                    + "select 'Basic', 'backlog-' || n, 1, 'C', now() from generate_series(0, 249) n");
            assertThat(holding.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            java.util.concurrent.CompletableFuture<Void> stopping =
                    java.util.concurrent.CompletableFuture.runAsync(relay::stop);
            await().atMost(Duration.ofSeconds(5)).until(() -> !relay.isRunning());
            release.countDown();
            stopping.get(20, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(rows("fhir_outbox where res_id like 'backlog-%' and delivered_at is not null")).isEqualTo(100);
            assertThat(rows("fhir_outbox where res_id like 'backlog-%' and delivered_at is null")).isEqualTo(150);
        } finally {
            release.countDown();
            context.removeApplicationListener(slow);
            relay.start();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows("fhir_outbox where delivered_at is null") == 0);
    }

    @Test
    void aSetAsideEventIsNotTriedAgainUntilItIsReplayed() {
        AtomicInteger tries = new AtomicInteger();
        ApplicationListener<?> faulty = failingFor("poison-2", tries);
        context.addApplicationListener(faulty);
        try {
            jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at, attempts, "
                    + "set_aside_at, last_failure) values ('Patient', 'poison-2', 1, 'C', now(), 3, now(), "
                    + "'java.lang.IllegalStateException')");

            relay.relayPending();
            relay.relayPending();

            assertThat(tries).hasValue(0);
            assertThat(rows("fhir_outbox where res_id = 'poison-2' and set_aside_at is not null")).isEqualTo(1);
        } finally {
            context.removeApplicationListener(faulty);
        }
    }

    @Autowired
    TransactionTemplate transactions;
    @Autowired
    BulkImports imports;
    @Autowired
    ChangeBroadcast broadcast;

    @Test
    void aRelayOnAnotherNodeDoesNotDeliverAResourcesLaterChangeWhileItsEarlierOneIsBeingDelivered() throws Exception {
        CountDownLatch delivering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        ApplicationListener<?> slow = ApplicationListener.<ResourceChanged>forPayload(change -> {
            if (change.resourceId().equals("ordered-1")) {
                delivered.add(change.version());
                if (change.version() == 1) {
                    delivering.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        context.addApplicationListener(slow);
        try {
            jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) "
                    + "values ('Patient', 'ordered-1', 1, 'C', now())");
            // This node's relay is delivering version 1, its claim still open.
            assertThat(delivering.await(20, TimeUnit.SECONDS)).isTrue();
            jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) "
                    + "values ('Patient', 'ordered-1', 2, 'U', now())");

            // Another node's relay passes over the claimed row, and must not deliver version 2 ahead of it.
            OutboxRelay otherNode = new OutboxRelay(jdbc, transactions, context, imports, broadcast);
            otherNode.relayPending();
            assertThat(delivered).containsExactly(1);

            release.countDown();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rows("fhir_outbox where res_id = 'ordered-1' and delivered_at is null") == 0);
            assertThat(delivered).containsExactly(1, 2);
        } finally {
            release.countDown();
            context.removeApplicationListener(slow);
        }
    }

    @Test
    void failedAttemptsAreCountedOnTheRowSoTheySurviveARestartAndAreSharedBetweenNodes() {
        AtomicInteger tries = new AtomicInteger();
        ApplicationListener<?> faulty = failingFor("poison-3", tries);
        context.addApplicationListener(faulty);
        try {
            // As if this event had failed twice already, before a restart or on another node.
            jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at, attempts, "
                    + "last_failure) values ('Patient', 'poison-3', 1, 'C', now(), 2, 'java.lang.IllegalStateException')");

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> rows("fhir_outbox where res_id = 'poison-3' and set_aside_at is not null") == 1);

            assertThat(tries).hasValue(1);
            assertThat(jdbc.queryForObject("select attempts from fhir_outbox where res_id = 'poison-3'", Integer.class))
                    .isEqualTo(OutboxRelay.MAX_ATTEMPTS);
        } finally {
            context.removeApplicationListener(faulty);
        }
    }

    @Test
    void theRelaysQueriesAreServedByTheOutboxsPartialIndexes() {
        assertThat(plan(OutboxRelay.claim(false).replace("?", "100"))).contains("fhir_outbox_pending");
        assertThat(plan(OutboxRelay.claim(true).replace("?", "100"))).contains("fhir_outbox_pending");
        assertThat(plan("select count(*) from fhir_outbox where " + OutboxRelay.PENDING))
                .contains("fhir_outbox_pending");
        assertThat(plan("select count(*) from fhir_outbox where set_aside_at is not null"))
                .contains("fhir_outbox_set_aside");
        assertThat(plan(OutboxRelay.WAITING_TO_RETRY)).contains("fhir_outbox_retrying");
    }

    /**
     * The plan PostgreSQL would choose for an outbox as a running server has it: many delivered rows and few pending
     * or set aside. Such rows are added, with statistics taken over them, in a transaction that is rolled back, so
     * that the plan does not depend on what earlier tests left in the table.
     */
    private String plan(String query) {
        return jdbc.execute((ConnectionCallback<String>) c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("insert into fhir_outbox (res_type, res_id, version, method, occurred_at, delivered_at)"
                        + " select 'Basic', 'plan-' || n, 1, 'C', now(), now() from generate_series(1, 50000) n");
                st.execute("insert into fhir_outbox (res_type, res_id, version, method, occurred_at, set_aside_at)"
                        + " select 'Basic', 'plan-aside-' || n, 1, 'C', now(), now() from generate_series(1, 5) n");
                st.execute("analyze fhir_outbox");
                try (ResultSet rs = st.executeQuery("explain " + query)) {
                    StringBuilder plan = new StringBuilder();
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                    return plan.toString();
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        });
    }

    /** A listener that fails for one resource, counting its tries. */
    private static ApplicationListener<?> failingFor(String resourceId, AtomicInteger tries) {
        return ApplicationListener.<ResourceChanged>forPayload(change -> {
            if (resourceId.equals(change.resourceId())) {
                tries.incrementAndGet();
                throw new IllegalStateException("a listener's fault");
            }
        });
    }

    @Test
    void aRefusedWriteIsNeverPublished() {
        listener.events.clear();
        http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"x"},
                 "subject":{"reference":"Patient/nobody"}}""", "application/fhir+json");

        relay.relayPending();

        assertThat(listener.events).isEmpty();
        assertThat(rows("fhir_outbox")).isZero();
    }

    @Test
    void aChangeLeftUndeliveredByACrashIsDeliveredWhenTheRelayRunsAgain() {
        listener.events.clear();
        // As if the process died after commit but before the relay marked the row delivered.
        jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) "
                + "values ('Patient', 'crashed-1', 1, 'C', now())");

        relay.relayPending();

        assertThat(listener.changesTo("crashed-1")).hasSize(1);
        assertThat(rows("fhir_outbox where delivered_at is null")).isZero();
    }

    static final class Listener {
        final List<ResourceChanged> events = new CopyOnWriteArrayList<>();

        void on(ResourceChanged event) {
            events.add(event);
        }

        List<ResourceChanged> changesTo(String id) {
            return events.stream().filter(e -> e.resourceId().equals(id)).toList();
        }
    }
}
