package org.charnwood.app.triage;

import java.time.Duration;

/**
 * A clock's target.
 *
 * @param due        how long the clock may run
 * @param nearBreach the fraction of the target after which a running clock is near breach (0.8 by the contract)
 * @param counting   whether the target is elapsed time or whole calendar days
 */
public record ClockTarget(Duration due, double nearBreach, Counting counting) {

    /** How a target is counted. */
    public enum Counting {
        /** Elapsed time from receipt: nights, weekends and clock changes all count as the time they last. */
        ELAPSED,
        /**
         * Calendar days in Europe/London: a target of N days is met by a contact on or before the Nth day after
         * the day of receipt, whatever the time of day.
         */
        CALENDAR_DAYS
    }

    public ClockTarget {
        if (due == null || due.isNegative() || due.isZero()) {
            throw new IllegalArgumentException("A clock target must be a positive duration");
        }
        if (!(nearBreach > 0 && nearBreach <= 1)) {
            throw new IllegalArgumentException("The near-breach fraction must be in (0, 1]");
        }
        counting = counting == null ? Counting.ELAPSED : counting;
    }

    /** An elapsed-time target with the contract's near-breach threshold of 80%. */
    public static ClockTarget of(Duration due) {
        return new ClockTarget(due, 0.8, Counting.ELAPSED);
    }
}
