package org.charnwood.app.security.web;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FHIR API's own, stateless security chain: bearer tokens only (a page session is no credential there), no
 * session made for an API call, tokens refused once expired even after earlier use, and the protections of the
 * pages (CSRF) and the metrics left as they were.
 */
class FhirApiChainIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void aSignedInPageSessionIsNotACredentialForTheFhirApi() throws Exception {
        HttpClient browser = TestTokens.browser();
        String username = tokens.account(TestTokens.Caller.staff("Practitioner/staff-071", AccessRole.REGISTERED_NURSE));
        tokens.signIn(browser, username, TestTokens.PASSWORD);
        assertThat(tokens.get(browser, base() + "/staff/patients").statusCode()).as("signed in").isEqualTo(200);

        HttpResponse<String> read = browser.send(HttpRequest.newBuilder(URI.create(base() + "/fhir/Patient"))
                .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> write = browser.send(HttpRequest.newBuilder(URI.create(base() + "/fhir/Patient"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(read.statusCode()).isEqualTo(401);
        assertThat(read.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        assertThat(read.body()).contains("CHARNWOOD-2050");
        assertThat(write.statusCode()).isEqualTo(401);
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void theRequestFirewallStillRefusesControlCharactersInHeadersAndPassesTokens() throws Exception {
        String token = "Authorization: Bearer " + http.bearerToken() + "\r\n";
        assertThat(rawGet(token + "Accept: application/fhir+json,\tapplication/json")).startsWith("HTTP/1.1 200");
        // U+0085 (NEL) is a control character: Tomcat lets the byte through, the firewall refuses the header when
        // it is read (a token with it in would otherwise be a 401, not a 400).
        assertThat(rawGet(token + "Accept: application/fhir+json\u0085")).startsWith("HTTP/1.1 400");
        assertThat(rawGet("Authorization: Bearer a\u0085b")).startsWith("HTTP/1.1 400");
        assertThat(rawGet("Authorization: Bearer ab")).startsWith("HTTP/1.1 401");
    }

    private String rawGet(String header) throws Exception {
        try (var socket = new java.net.Socket("localhost", port)) {
            socket.getOutputStream().write(("GET /fhir/Patient HTTP/1.1\r\nHost: localhost\r\n" + header
                    + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aBearerTokenCallMakesNoSession() {
        var search = http.get("/fhir/Patient");

        assertThat(search.status()).isEqualTo(200);
        assertThat(search.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("Set-Cookie"));
        assertThat(search.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(search.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void anExpiredTokenIsRefusedEvenAfterItWasUsed() {
        String token = tokens.bearer(TestTokens.Caller.staff("Practitioner/staff-072", AccessRole.REGISTERED_NURSE));
        assertThat(http.as(token).get("/fhir/Patient").status()).isEqualTo(200);
        assertThat(http.as(token).get("/fhir/Patient").status()).isEqualTo(200);

        clock.advance(Duration.ofHours(2));

        var refused = http.as(token).get("/fhir/Patient");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void the401IsAnOperationOutcomeInTheFormatAskedForWhetherTheTokenIsMissingOrMalformed() {
        var missing = http.anonymous().get("/fhir/Patient?_format=xml&_pretty=true");
        var malformed = http.anonymous().get("/fhir/Patient", "Authorization", "Bearer not-a-token");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.header("Content-Type")).startsWith("application/fhir+xml");
        assertThat(missing.body()).startsWith("<OperationOutcome xmlns=\"http://hl7.org/fhir\">\n");
        assertThat(missing.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .isEqualTo("CHARNWOOD-2050");
        assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(malformed.status()).isEqualTo(401);
        assertThat(malformed.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(malformed.header("Content-Type")).startsWith("application/fhir+json");
        assertThat(malformed.body()).contains("CHARNWOOD-2050");
    }

    @Test
    void theMetadataAndSmartConfigurationStayPublic() {
        assertThat(http.anonymous().get("/fhir/metadata").status()).isEqualTo(200);
        assertThat(http.anonymous().get("/fhir/.well-known/smart-configuration").status()).isEqualTo(200);
        assertThat(http.anonymous().get("/fhir/Patient").status()).isEqualTo(401);
        assertThat(http.anonymous().get("/fhir").status()).isEqualTo(401);
    }

    @Test
    void pageFormsAndSessionApiCallsStillNeedTheCsrfToken() throws Exception {
        HttpClient browser = TestTokens.browser();
        String username = tokens.account(TestTokens.Caller.staff("Practitioner/staff-073", AccessRole.REGISTERED_NURSE));
        tokens.signIn(browser, username, TestTokens.PASSWORD);

        HttpResponse<String> launch = browser.send(HttpRequest.newBuilder(URI.create(base() + "/api/launch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"patient\":\"p1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> signOut = tokens.postForm(browser, base() + "/signout", java.util.Map.of(), true);

        assertThat(launch.statusCode()).isEqualTo(403);
        assertThat(signOut.statusCode()).isEqualTo(403);
        assertThat(tokens.get(browser, base() + "/staff/patients").statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    void prometheusStillTimesHttpRequestsAndFhirInteractions() {
        http.get("/fhir/Patient?family=Smith");

        String metrics = http.as(METRICS_TOKEN).get("/actuator/prometheus").body();

        assertThat(metrics).contains("http_server_requests_seconds_count{");
        assertThat(metrics).containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/fhir/\\*\\*\"");
        assertThat(metrics).contains("fhir_requests_seconds_count{interaction=\"search-type\",operation=\"none\",outcome=\"success\",type=\"Patient\"}");
        assertThat(metrics).doesNotContain("spring_security_filterchains");
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
