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

    @Test
    void anIpv6CallerIsLimitedByItsSlash64AndAnIpv4MappedOneAsItsIpv4Address() {
        assertThat(RateLimits.network("2001:db8:1:2::1")).isEqualTo(RateLimits.network("2001:db8:1:2:ffff:ee:dd:cc"))
                .isEqualTo(RateLimits.network("[2001:0db8:0001:0002::9]")).isEqualTo("20010db800010002::/64");
        assertThat(RateLimits.network("2001:db8:1:3::1")).isNotEqualTo(RateLimits.network("2001:db8:1:2::1"));
        assertThat(RateLimits.network("fe80::1%eth0")).isEqualTo("fe80000000000000::/64");
        assertThat(RateLimits.network("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(RateLimits.network("192.0.2.7")).isEqualTo("192.0.2.7");
        assertThat(RateLimits.network("not:an:address:at:all")).isEqualTo("not:an:address:at:all");
    }

    @Test
    void manyNewAddressesDoNotRefillTheBucketsOfThoseAlreadyLimited() {
        MovingClock clock = new MovingClock(Instant.parse("2026-11-25T10:00:00Z"));
        RateLimits limits = new RateLimits(new SecuritySettings.RateLimit(1, 2), clock, 3);
        boolean[] guesser = {limits.allow("192.0.2.1"), limits.allow("192.0.2.1"), limits.allow("192.0.2.1")};
        limits.allow("192.0.2.2");
        limits.allow("192.0.2.3");
        // The table is full: newcomers share one bucket rather than wiping the table clean.
        boolean[] flood = {limits.allow("198.51.100.1"), limits.allow("198.51.100.2"), limits.allow("198.51.100.3")};
        boolean guesserAfterFlood = limits.allow("192.0.2.1");
        // Once the others' buckets have refilled they are forgotten, and a newcomer gets a bucket of its own.
        clock.now = clock.now.plus(Duration.ofMinutes(3));
        boolean newcomerLater = limits.allow("203.0.113.9") && limits.allow("203.0.113.9");

        assertThat(guesser).containsExactly(true, true, false);
        assertThat(flood).containsExactly(true, true, false);
        assertThat(guesserAfterFlood).isFalse();
        assertThat(newcomerLater).isTrue();
    }

    private static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
