package org.charnwood.app.security.web;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limits on a server of their own with a small bucket, since every other integration test runs with
 * limits too high to reach: a path spelt with percent-encoded letters reaches the same endpoint, so it is
 * limited the same. The server is set up as behind a proxy (docs/security.md, "TLS": Tomcat reads
 * {@code X-Forwarded-For} sent by the trusted proxy, here the test itself on the loopback address), so the tests
 * can call from other addresses.
 */
class RateLimitsIntegrationTests extends CharnwoodIntegrationTest {

    /** Enough for the set-up's own token request and a few more; refilled at one a minute on a still clock. */
    private static final int BURST = 5;

    @DynamicPropertySource
    static void smallBucket(DynamicPropertyRegistry registry) {
        registry.add("charnwood.security.rate-limit.per-minute", () -> "1");
        registry.add("charnwood.security.rate-limit.burst", () -> String.valueOf(BURST));
        registry.add("server.forward-headers-strategy", () -> "native");
        registry.add("server.tomcat.remoteip.internal-proxies", () -> "127\\.0\\.0\\.1|0:0:0:0:0:0:0:1");
    }

    /** A sign-in attempt (no CSRF token: refused after the limit is judged) as the proxy forwards it. */
    private int signInFrom(String forwardedFor) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/signin"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-Forwarded-For", forwardedFor)
                        .POST(HttpRequest.BodyPublishers.ofString("username=someone&password=guess")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void anIpv6CallerCannotTakeAFreshBucketWithEachAddressOfItsNetwork() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= BURST + 1; i++) {
            statuses.add(signInFrom("2001:db8:77:1::" + Integer.toHexString(i)));
        }
        int anotherNetwork = signInFrom("2001:db8:77:2::1");

        assertThat(statuses.subList(0, BURST)).doesNotContain(429);
        assertThat(statuses.getLast()).as(statuses.toString()).isEqualTo(429);
        assertThat(anotherNetwork).isNotEqualTo(429);
    }

    @Test
    void aCallerCannotChooseItsBucketByWritingAnAddressIntoXForwardedFor() throws Exception {
        // The caller writes the left entry; the proxy appends the address it saw, which is the one that counts.
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= BURST + 1; i++) {
            statuses.add(signInFrom("198.51.100." + i + ", 203.0.113.44"));
        }

        assertThat(statuses.subList(0, BURST)).doesNotContain(429);
        assertThat(statuses.getLast()).as(statuses.toString()).isEqualTo(429);
        assertThat(signInFrom("203.0.113.45")).isNotEqualTo(429);
    }

    /** A token request from the confidential test app with a code that was never issued. */
    private HttpResponse<String> post(String path) throws Exception {
        String client = Base64.getEncoder().encodeToString((CONFIDENTIAL_APP + ":" + CONFIDENTIAL_APP_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json").header("Authorization", "Basic " + client)
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=never-issued"
                                + "&redirect_uri=" + URLEncoder.encode(TestTokens.TEST_APP_REDIRECT,
                                StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void percentEncodedSpellingsOfLimitedPathsAreLimitedToo() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> first = post("/oauth2/tok%65n");
        statuses.add(first.statusCode());
        for (int i = 0; i < BURST; i++) {
            statuses.add(post("/oauth2/tok%65n").statusCode());
        }

        // The encoded path is the token endpoint, which judges the code...
        assertThat(first.statusCode()).as(first.body()).isEqualTo(400);
        assertThat(first.body()).contains("invalid_grant");
        // ...and its requests draw on the same bucket, until it is empty.
        assertThat(statuses.getLast()).as(statuses.toString()).isEqualTo(429);
        assertThat(post("/sign%69n").statusCode()).isEqualTo(429);
        assertThat(post("/self-referr%61l").statusCode()).isEqualTo(429);
        assertThat(post("/oauth2/token;x=1").statusCode()).isEqualTo(429);
        assertThat(post("/oauth2//token").statusCode()).isEqualTo(429);
    }

    /** A sign-in or self-referral form as a browser posts it, from the given address (through the proxy). */
    private HttpResponse<String> browserPost(String path, String forwardedFor) throws Exception {
        return postAccepting(path, forwardedFor, "text/html,application/xhtml+xml,*/*;q=0.8");
    }

    private HttpResponse<String> postAccepting(String path, String forwardedFor, String accept) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", accept)
                        .header("X-Forwarded-For", forwardedFor)
                        .POST(HttpRequest.BodyPublishers.ofString("username=someone&password=guess")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPersonAtASignInFormWhoTriedTooOftenIsToldInWordsToWaitAndTryAgain() throws Exception {
        HttpResponse<String> r = null;
        for (int i = 0; i <= BURST; i++) {
            r = browserPost("/signin", "198.51.100.201");
        }
        HttpResponse<String> referral = null;
        for (int i = 0; i <= BURST; i++) {
            referral = browserPost("/self-referral", "198.51.100.202");
        }
        HttpResponse<String> app = null;
        for (int i = 0; i <= BURST; i++) {
            app = postAccepting("/oauth2/token", "198.51.100.203", "text/html");
        }

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.body()).contains("<html lang=\"en-GB\">", "<title>Too many tries", "Wait a minute",
                "try again", "href=\"/signin\"").doesNotContain("someone");
        assertThat(referral.statusCode()).isEqualTo(429);
        assertThat(referral.body()).contains("href=\"/services\"");
        assertThat(app.statusCode()).as("an app still gets the JSON error, not a page").isEqualTo(429);
        assertThat(app.body()).contains("too_many_requests");
    }
}
