package org.charnwood.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bearer token the benchmark sends, as a backend system would get one: client credentials at the server's
 * token endpoint ({@code CHARNWOOD_CLIENT_ID} and {@code CHARNWOOD_CLIENT_SECRET}), renewed before it expires; or
 * a fixed token ({@code CHARNWOOD_TOKEN}); or none when neither is set.
 */
final class BearerTokens {

    private static final Pattern FIELD = Pattern.compile("\"(access_token|expires_in)\"\\s*:\\s*\"?([^\",}]+)");

    private final HttpClient client;
    private final URI tokenEndpoint;
    private final String clientId;
    private final String secret;
    private final String fixed;
    private String token;
    private Instant renewAt = Instant.MIN;

    private BearerTokens(HttpClient client, URI tokenEndpoint, String clientId, String secret, String fixed) {
        this.client = client;
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.secret = secret;
        this.fixed = fixed;
    }

    static BearerTokens fromEnvironment(HttpClient client, String fhirBase) {
        String root = fhirBase.endsWith("/fhir") ? fhirBase.substring(0, fhirBase.length() - "/fhir".length()) : fhirBase;
        return new BearerTokens(client, URI.create(root + "/oauth2/token"), System.getenv("CHARNWOOD_CLIENT_ID"),
                System.getenv("CHARNWOOD_CLIENT_SECRET"), System.getenv("CHARNWOOD_TOKEN"));
    }

    HttpRequest authorise(HttpRequest request) {
        String bearer = current();
        if (bearer == null) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", "Bearer " + bearer).build();
    }

    private synchronized String current() {
        if (fixed != null && !fixed.isBlank()) {
            return fixed;
        }
        if (clientId == null || secret == null) {
            return null;
        }
        if (token == null || Instant.now().isAfter(renewAt)) {
            renew();
        }
        return token;
    }

    private void renew() {
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + URLEncoder.encode("system/*.cruds", StandardCharsets.UTF_8))).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BenchFailure("token endpoint answered " + response.statusCode() + ": " + response.body());
            }
            String accessToken = null;
            long expiresIn = 300;
            Matcher m = FIELD.matcher(response.body());
            while (m.find()) {
                if (m.group(1).equals("access_token")) {
                    accessToken = m.group(2);
                } else {
                    expiresIn = Long.parseLong(m.group(2).trim());
                }
            }
            token = accessToken;
            // Renew at half-life, so that a long phase never sends an expired token.
            renewAt = Instant.now().plusSeconds(Math.max(10, expiresIn / 2));
        } catch (java.io.IOException e) {
            throw new BenchFailure("no token: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchFailure("interrupted while getting a token");
        }
    }
}
