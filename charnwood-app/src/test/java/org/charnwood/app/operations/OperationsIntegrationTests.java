package org.charnwood.app.operations;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Health checks and metrics that the trust's operations team relies on. */
class OperationsIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void livenessAndReadinessAreUp() {
        assertThat(http.get("/actuator/health/liveness").body()).contains("\"UP\"");
        assertThat(http.get("/actuator/health/readiness").body()).contains("\"UP\"");
    }

    @Test
    void prometheusExposesFhirInteractionTimingsAndTheConnectionPool() {
        http.get("/fhir/metadata");
        http.get("/fhir/Patient/unknown");

        String metrics = http.get("/actuator/prometheus").body();

        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"capabilities\",outcome=\"success\",type=\"none\"}");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"read\",outcome=\"client_error\",type=\"Patient\"}");
        assertThat(metrics).contains("hikaricp_connections_active");
    }
}
