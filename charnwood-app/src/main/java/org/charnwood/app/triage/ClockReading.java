package org.charnwood.app.triage;

import java.time.Duration;
import java.time.Instant;

/**
 * One clock of one referral, as measured at a moment.
 *
 * @param clock     which clock
 * @param state     running, near breach, met or breached
 * @param received  when it started (the referral's received time)
 * @param stoppedAt when it stopped (the first event that stops it); null while running
 * @param dueBy     the last moment at which stopping still meets the target
 * @param elapsed   time from receipt to the stop, or to now while running
 * @param remaining time from the stop (or now) to the due time; negative once past it
 */
public record ClockReading(ReferralClock clock, ClockState state, Instant received, Instant stoppedAt,
                           Instant dueBy, Duration elapsed, Duration remaining) {

    public boolean running() {
        return stoppedAt == null;
    }

    /** Whether this reading calls for attention: near breach, or breached. */
    public boolean flagged() {
        return state == ClockState.NEAR_BREACH || state == ClockState.BREACHED;
    }

    /** Whole weeks of the elapsed time (waiting lists are reported in weeks waited). */
    public long weeksWaited() {
        return elapsed.toDays() / 7;
    }
}
