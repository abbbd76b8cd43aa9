package org.charnwood.app.repository;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.fhir.ResourceChanged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk import's changes wait behind every other change in the outbox: while an import runs, live changes are
 * delivered and the import's are held; once it ends they follow. So a migration never delays a live observation's
 * NEWS2 scoring and escalation.
 */
class BulkChangesRelayedLastIntegrationTests extends CharnwoodIntegrationTest {

    private static final String IMPORTED = """
            {"resourceType":"Patient","id":"bulk-p1","gender":"female"}
            {"resourceType":"Observation","id":"bulk-o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/bulk-p1"}}
            {"resourceType":"Observation","id":"bulk-o2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"subject":{"reference":"Patient/bulk-p1"}}
            """;

    @Autowired
    BulkImports imports;
    @Autowired
    OutboxRelay relay;
    @Autowired
    ConfigurableApplicationContext context;

    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private ApplicationListener<PayloadApplicationEvent<ResourceChanged>> listener;

    @BeforeEach
    void listen() {
        relay.relayPending();
        listener = e -> delivered.add(e.getPayload().resourceType() + "/" + e.getPayload().resourceId());
        context.addApplicationListener(listener);
    }

    @AfterEach
    void stopListening() {
        context.removeApplicationListener(listener);
    }

    @Test
    void liveChangesAreDeliveredWhileAnImportsOwnWait() {
        try (BulkImports.Running migration = imports.begin()) {
            Response imported = http.post("/fhir/$import", IMPORTED, "application/fhir+ndjson");
            assertThat(imported.status()).as(imported.body()).isEqualTo(200);
            assertThat(http.put("/fhir/Patient/live-p1", "{\"resourceType\":\"Patient\",\"id\":\"live-p1\"}",
                    "application/fhir+json")
                    .status()).isEqualTo(201);

            relay.relayPending();

            assertThat(delivered).contains("Patient/live-p1").doesNotContain("Patient/bulk-p1", "Observation/bulk-o1");
            assertThat(jdbc.queryForObject("select count(*) from fhir_outbox where bulk and delivered_at is null",
                    Long.class)).isEqualTo(3);
            assertThat(jdbc.queryForObject("select bulk from fhir_outbox where res_id = 'live-p1'", Boolean.class))
                    .isFalse();
        }

        relay.relayPending();

        assertThat(delivered).containsSubsequence("Patient/live-p1", "Patient/bulk-p1")
                .contains("Observation/bulk-o1", "Observation/bulk-o2");
        assertThat(jdbc.queryForObject("select count(*) from fhir_outbox where delivered_at is null", Long.class))
                .isZero();
    }
}
