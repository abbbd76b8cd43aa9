package org.charnwood.app.operations;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Health checks, metrics and logs that the trust's operations team relies on. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void logsNeverContainPatientDataEvenWhenRequestsFail(CapturedOutput output) {
        String name = "Quartermaine-Zebedee";
        http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + name + "\"}]}",
                "application/fhir+json");
        http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + name + "\"}],\"x\":1}",
                "application/fhir+json");
        http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + name,
                "application/fhir+json");
        http.get("/fhir/Patient?family=" + name);
        http.get("/fhir/Patient?nonsense=" + name);

        assertThat(output.getAll()).doesNotContain(name);
    }

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
