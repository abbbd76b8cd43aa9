package org.charnwood.app.security.web;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that believes it runs on Kubernetes, where Spring Boot would otherwise trust {@code X-Forwarded-For}
 * from every private and loopback address: the headers are believed only when an operator configures forwarding
 * for their proxies, so a caller cannot take a fresh rate-limit bucket by writing a new address into them.
 */
class ForwardedHeadersIntegrationTests extends CharnwoodIntegrationTest {

    private static final int BURST = 5;

    @DynamicPropertySource
    static void onKubernetesWithASmallBucket(DynamicPropertyRegistry registry) {
        registry.add("spring.main.cloud-platform", () -> "kubernetes");
        registry.add("charnwood.security.rate-limit.per-minute", () -> "1");
        registry.add("charnwood.security.rate-limit.burst", () -> String.valueOf(BURST));
    }

    @Test
    void aCallerWritingItsOwnXForwardedForStillDrawsOnItsOwnAddressesBucket() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= BURST + 1; i++) {
            statuses.add(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/signin"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-Forwarded-For", "198.51.100." + i)
                            .POST(HttpRequest.BodyPublishers.ofString("username=someone&password=guess")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }

        // The set-up's own token request came from the same address and took one from the bucket.
        assertThat(statuses.getFirst()).isNotEqualTo(429);
        assertThat(statuses.getLast()).as(statuses.toString()).isEqualTo(429);
    }
}
