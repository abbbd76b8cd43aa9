package org.charnwood.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** The little HTTP the benchmark needs: POST a bundle, GET a search, stream NDJSON to {@code $import}. */
final class FhirHttpClient {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;
    private final BearerTokens tokens;

    FhirHttpClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.tokens = BearerTokens.fromEnvironment(client, this.base);
    }

    String base() {
        return base;
    }

    Result postBundle(String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return send(request);
    }

    /** A search or read; {@code pathAndQuery} is already URL-encoded, e.g. {@code /Patient?family=Smith}. */
    Result get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofMinutes(1))
                .header("Accept", "application/fhir+json")
                .GET().build();
        return send(request);
    }

    /**
     * One {@code $import} of whatever the supplier's stream yields. The body is streamed (chunked), never held in
     * memory, so an import of gigabytes costs the client nothing.
     */
    Result importNdjson(Supplier<InputStream> body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/$import"))
                .timeout(Duration.ofHours(6))
                .header("Content-Type", "application/fhir+ndjson")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(body))
                .build();
        return send(request);
    }

    /**
     * A GET of {@code pathOrUrl} (a path under the base, or an absolute URL the server gave) with extra headers
     * ({@code name, value, ...}), keeping the response's headers: for the steps of a bulk export.
     */
    Exchange exchange(String pathOrUrl, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(
                        pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl))
                .timeout(Duration.ofMinutes(5)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = tokens.authorise(builder.build());
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Exchange(r.statusCode(), r.body(), r.headers());
        } catch (java.io.IOException e) {
            return new Exchange(-1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(-1, "interrupted", null);
        }
    }

    /** A response with its headers (null when there was no response). */
    record Exchange(int status, String body, java.net.http.HttpHeaders headers) {

        String header(String name) {
            return headers == null ? null : headers.firstValue(name).orElse(null);
        }
    }

    /**
     * Sends and waits at most the request's timeout. The client's own timeout only covers waiting for the response
     * headers: a server that stops reading a request body leaves the sender blocked for ever, so the wait is
     * bounded here too.
     */
    private Result send(HttpRequest unauthenticated) {
        HttpRequest request = tokens.authorise(unauthenticated);
        Duration limit = request.timeout().orElse(Duration.ofMinutes(5));
        CompletableFuture<HttpResponse<String>> pending =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = pending.get(limit.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return new Result(r.statusCode(), r.body());
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new Result(-1, "no response within " + limit.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Result(-1, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** A response: status (-1 when there was none) and body (the exception when there was none). */
    record Result(int status, String body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** No HTTP answer at all: refused, reset or timed out. */
        boolean unanswered() {
            return status < 0;
        }

        /** Status and body cut to a readable length, for reporting a failure. */
        String describe() {
            String text = body == null ? "" : body.strip();
            return "HTTP " + status + ": " + (text.length() > 2000 ? text.substring(0, 2000) + " ..." : text);
        }
    }
}
