package org.charnwood.bench;

import com.sun.net.httpserver.HttpServer;
import org.charnwood.bench.SearchSample.ObservationFacts;
import org.charnwood.bench.SearchSample.PatientFacts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open-loop run against a local server that answers one search at a time and stalls on its first: the
 * searches due during the stall must still be sent on time and timed from when they were due, or the run would
 * hide the stall from its percentiles (coordinated omission).
 */
class SearchLoadTests {

    private static final SearchSample SAMPLE = new SearchSample(
            List.of(new PatientFacts("p1", "9990000018", "Smith", "1950-03-04", "LE11 3AB")),
            List.of(new ObservationFacts("p1", "http://loinc.org", "8867-4")), List.of());
    private static final byte[] FOUND = "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{}}]}"
            .getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private final AtomicInteger answered = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.createContext("/fhir", exchange -> {
            try {
                Thread.sleep(answered.getAndIncrement() == 0 ? 400 : 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, FOUND.length);
            exchange.getResponseBody().write(FOUND);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private FhirHttpClient client() {
        return new FhirHttpClient("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir");
    }

    @Test
    void anOpenLoopRunSendsAtItsRateAndTimesEachSearchFromWhenItWasDue() throws Exception {
        SearchRun run = new SearchLoad(client(), new SearchMix(SAMPLE), 1, 1, 50).run(Duration.ofSeconds(2));

        assertThat(run.requests()).isEqualTo(100);
        assertThat(run.failures()).isZero();
        // About 20 searches fell due during the 400 ms stall and waited behind it.
        assertThat(run.overall().p95()).isGreaterThan(100);
        assertThat(run.rate()).isEqualTo(50);
    }

    @Test
    void aClosedLoopClientWaitsForEachAnswerSoOnlyTheStalledSearchIsSlow() throws Exception {
        SearchRun run = new SearchLoad(client(), new SearchMix(SAMPLE), 1, 1).run(Duration.ofSeconds(1));

        assertThat(run.overall().p50()).isLessThan(100);
        assertThat(run.rate()).isZero();
    }
}
