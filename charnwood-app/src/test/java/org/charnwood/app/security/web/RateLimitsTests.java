package org.charnwood.app.security.web;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitsTests {

    private Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void aBurstIsAllowedThenRefusedUntilTheBucketRefills() {
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        var bucket = new RateLimits.Bucket(3, t0.toEpochMilli());

        boolean[] burst = {bucket.take(t0.toEpochMilli(), 60, 3), bucket.take(t0.toEpochMilli(), 60, 3),
                bucket.take(t0.toEpochMilli(), 60, 3), bucket.take(t0.toEpochMilli(), 60, 3)};
        boolean aSecondLater = bucket.take(t0.plus(Duration.ofSeconds(1)).toEpochMilli(), 60, 3);

        assertThat(burst).containsExactly(true, true, true, false);
        assertThat(aSecondLater).isTrue();
    }

    @Test
    void tooManyTokenRequestsFromOneAddressGet429() throws Exception {
        RateLimits limits = new RateLimits(new SecuritySettings.RateLimit(1, 2), at(Instant.parse("2026-11-25T10:00:00Z")));
        int[] statuses = new int[3];
        for (int i = 0; i < 3; i++) {
            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/oauth2/token");
            request.setRemoteAddr("192.0.2.7");
            MockHttpServletResponse response = new MockHttpServletResponse();
            limits.doFilter(request, response, new MockFilterChain());
            statuses[i] = response.getStatus();
        }
        MockHttpServletRequest other = new MockHttpServletRequest("POST", "/oauth2/token");
        other.setRemoteAddr("192.0.2.8");
        MockHttpServletResponse otherResponse = new MockHttpServletResponse();
        limits.doFilter(other, otherResponse, new MockFilterChain());

        assertThat(statuses).containsExactly(200, 200, 429);
        assertThat(otherResponse.getStatus()).isEqualTo(200);
    }

    @Test
    void fhirRequestsAreNotLimitedHere() throws Exception {
        RateLimits limits = new RateLimits(new SecuritySettings.RateLimit(1, 1), at(Instant.now()));
        int last = 0;
        for (int i = 0; i < 3; i++) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            limits.doFilter(new MockHttpServletRequest("GET", "/fhir/Patient"), response, new MockFilterChain());
            last = response.getStatus();
        }

        assertThat(last).isEqualTo(200);
    }
}
