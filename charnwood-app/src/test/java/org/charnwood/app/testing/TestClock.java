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

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
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
