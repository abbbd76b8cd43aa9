package org.charnwood.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The server's outbox relay backlog ({@code charnwood_outbox_pending}, read from Prometheus with the scraper's token
 * in {@code CHARNWOOD_METRICS_TOKEN}). A phase that has just written a lot waits for it to reach zero before it
 * measures, so the listeners' work on what was written (NEWS2 scoring, cache clearing) does not run alongside.
 */
final class RelayBacklog {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI prometheus;
    private final String token;

    RelayBacklog(String fhirBase, String token) {
        String root = fhirBase.endsWith("/fhir") ? fhirBase.substring(0, fhirBase.length() - "/fhir".length()) : fhirBase;
        this.prometheus = URI.create(root + "/actuator/prometheus");
        this.token = token;
    }

    /** From the environment's scraper token; none when it is not set. */
    static RelayBacklog fromEnvironment(String fhirBase) {
        String token = System.getenv("CHARNWOOD_METRICS_TOKEN");
        return token == null || token.isBlank() ? null : new RelayBacklog(fhirBase, token);
    }

    /** Events not yet relayed, or empty when the server does not show the gauge. */
    OptionalDouble pending() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(prometheus)
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            return response.body().lines().filter(l -> l.startsWith("charnwood_outbox_pending "))
                    .mapToDouble(l -> Double.parseDouble(l.substring("charnwood_outbox_pending ".length()).trim()))
                    .findFirst();
        } catch (java.io.IOException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }

    /**
     * Waits until nothing is pending, at most the limit; returns the seconds waited, or -1 when the server does not
     * show its backlog (then nothing is waited for).
     */
    double awaitSettled(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            OptionalDouble pending = pending();
            if (pending.isEmpty()) {
                return -1;
            }
            double waited = (System.nanoTime() - start) / 1e9;
            if (pending.getAsDouble() == 0 || waited >= limit.toSeconds()) {
                return waited;
            }
            Thread.sleep(250);
        }
    }
}
