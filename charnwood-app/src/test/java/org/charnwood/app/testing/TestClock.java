package org.charnwood.app.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The application's clock in integration tests: real time, moved forward on demand so tests of timeouts and
 * lockouts need not wait. Tests that move it call {@link #reset()} afterwards.
 */
public final class TestClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * The same moving time seen in another zone. Pages that ask for the trust's zone (a patient's age today) must get
     * it, as from the production clock; answering UTC would give them yesterday's date after midnight in a British
     * summer.
     */
    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(getZone())) {
            return this;
        }
        TestClock moving = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return moving.withZone(other);
            }

            @Override
            public Instant instant() {
                return moving.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    /** Supplies the clock (and a recorder of security events) to the application under test. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Supplier {
        @Bean
        @org.springframework.context.annotation.Primary
        TestClock testClock() {
            return new TestClock();
        }

        @Bean
        RecordedSecurityEvents recordedSecurityEvents() {
            return new RecordedSecurityEvents();
        }
    }
}
