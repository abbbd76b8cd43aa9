package org.charnwood.app.security.accounts;

import org.charnwood.app.security.web.SecuritySettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTimeoutsTests {

    private static final SecuritySettings.Session LIMITS = new SecuritySettings.Session(Duration.ofMinutes(15), Duration.ofHours(12));
    private static final Instant SIGNED_IN = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void aSessionInUseStaysOpen() {
        assertThat(SessionTimeouts.expired(SIGNED_IN, SIGNED_IN.plusSeconds(3600), SIGNED_IN.plusSeconds(3600 + 600), LIMITS)).isFalse();
    }

    @Test
    void aSessionIdleForLongerThanTheIdleTimeoutExpires() {
        assertThat(SessionTimeouts.expired(SIGNED_IN, SIGNED_IN, SIGNED_IN.plus(Duration.ofMinutes(16)), LIMITS)).isTrue();
    }

    @Test
    void aSessionOlderThanTheAbsoluteTimeoutExpiresEvenWhenBusy() {
        Instant now = SIGNED_IN.plus(Duration.ofHours(12)).plusSeconds(1);

        assertThat(SessionTimeouts.expired(SIGNED_IN, now.minusSeconds(5), now, LIMITS)).isTrue();
    }
}
