package org.charnwood.app.testing;

import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for the FHIR endpoint, so tests exercise exactly what a partner system would send. */
public final class FhirHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;
    private final String bearerToken;

    /** A client with no credentials. */
    public FhirHttp(int port) {
        this(port, null);
    }

    /** A client sending {@code Authorization: Bearer <token>} with every request (unless one is given). */
    public FhirHttp(int port, String bearerToken) {
        this.base = "http://localhost:" + port;
        this.bearerToken = bearerToken;
    }

    /** The same server, acting as whoever {@code token} was issued to. */
    public FhirHttp as(String token) {
        return new FhirHttp(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), token);
    }

    /** The same server, without credentials. */
    public FhirHttp anonymous() {
        return as(null);
    }

    /** The bearer token sent; null when anonymous. */
    public String bearerToken() {
        return bearerToken;
    }

    /** Base URL of the FHIR endpoint. */
    public String fhirBase() {
        return base + "/fhir";
    }

    public Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    public Response delete(String path, String... headers) {
        return send("DELETE", path, null, null, headers);
    }

    public Response post(String path, String body, String contentType, String... headers) {
        return send("POST", path, body, contentType, headers);
    }

    public Response put(String path, String body, String contentType, String... headers) {
        return send("PUT", path, body, contentType, headers);
    }

    public Response patch(String path, String body, String contentType, String... headers) {
        return send("PATCH", path, body, contentType, headers);
    }

    public Response postJson(String path, Resource resource, String... headers) {
        return post(path, json(resource), "application/fhir+json", headers);
    }

    public Response putJson(String path, Resource resource, String... headers) {
        return put(path, json(resource), "application/fhir+json", headers);
    }

    public static String json(Resource resource) {
        return FhirContexts.r4().newJsonParser().encodeResourceToString(resource);
    }

    /** Sends a request; {@code path} is relative to the server root, e.g. {@code /fhir/Patient}. */
    public Response send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        boolean authorization = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            authorization |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (bearerToken != null && !authorization) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response, with helpers to read it as FHIR. */
    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @SuppressWarnings("unchecked")
        public <T extends IBaseResource> T resource(Class<T> type) {
            String contentType = header("Content-Type");
            var parser = contentType != null && contentType.contains("xml")
                    ? FhirContexts.r4().newXmlParser() : FhirContexts.r4().newJsonParser();
            return (T) parser.parseResource(body);
        }

        public org.hl7.fhir.r4.model.OperationOutcome outcome() {
            return resource(org.hl7.fhir.r4.model.OperationOutcome.class);
        }

        public org.hl7.fhir.r4.model.Bundle bundle() {
            return resource(org.hl7.fhir.r4.model.Bundle.class);
        }
    }
}
