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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** ResourceChanged events: after commit, again after a crash, never for a rolled-back write. */
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
    void anEventNoListenerCanTakeIsSetAsideAfterThreeTriesAndTheEventsBehindItGoOn() {
        listener.events.clear();
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        ApplicationListener<?> faulty = ApplicationListener.<ResourceChanged>forPayload(change -> {
            if ("poison-1".equals(change.resourceId())) {
                tries.incrementAndGet();
                throw new IllegalStateException("a listener's fault");
            }
        });
        context.addApplicationListener(faulty);
        try {
            jdbc.update("insert into fhir_outbox (res_type, res_id, version, method, occurred_at) "
                    + "values ('Patient', 'poison-1', 1, 'C', now()), ('Patient', 'after-poison-1', 1, 'C', now())");

            await().atMost(Duration.ofSeconds(20)).until(() -> listener.changesTo("after-poison-1").size() >= 1);

            assertThat(tries).hasValue(OutboxRelay.MAX_ATTEMPTS);
            assertThat(rows("fhir_outbox where delivered_at is null")).isZero();
        } finally {
            context.removeApplicationListener(faulty);
        }
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
