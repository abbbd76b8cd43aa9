package org.charnwood.app.triage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;

/**
 * Measures a referral clock from what was recorded, with no reading of the database or the system clock: the
 * received time, the events, the moment of measurement and the target go in, a {@link ClockReading} comes out.
 * Time runs continuously: nights, weekends and bank holidays do not pause any clock (the urgent community
 * response is a 7-day service), and a clock change in spring or autumn is the hour it really is, because all
 * arithmetic is on instants. Only calendar-day targets look at the local date, in the zone given (Europe/London).
 * A clock stopped exactly at its due time has met its target; a running clock exactly at its due time is near
 * breach, not yet breached.
 */
public final class ClockCalculator {

    private final ZoneId zone;

    public ClockCalculator(ZoneId zone) {
        this.zone = zone;
    }

    public ClockReading measure(ReferralClock clock, Instant received, List<ClockEvent> events, Instant now,
                                ClockTarget target) {
        Instant stop = events.stream().filter(clock::stoppedBy).map(ClockEvent::at)
                .filter(at -> !at.isBefore(received)).min(Comparator.naturalOrder()).orElse(null);
        Instant dueBy = dueBy(received, target);
        Instant end = stop != null ? stop : now;
        Duration elapsed = end.isBefore(received) ? Duration.ZERO : Duration.between(received, end);
        Duration remaining = Duration.between(end, dueBy);
        ClockState state;
        if (stop != null) {
            state = stop.isAfter(dueBy) ? ClockState.BREACHED : ClockState.MET;
        } else if (now.isAfter(dueBy)) {
            state = ClockState.BREACHED;
        } else {
            long window = Duration.between(received, dueBy).toMillis();
            Instant nearAt = received.plusMillis((long) Math.ceil(window * target.nearBreach()));
            state = now.isBefore(nearAt) ? ClockState.RUNNING : ClockState.NEAR_BREACH;
        }
        return new ClockReading(clock, state, received, stop, dueBy, elapsed, remaining);
    }

    /** The last moment at which stopping the clock meets the target. */
    Instant dueBy(Instant received, ClockTarget target) {
        if (target.counting() == ClockTarget.Counting.ELAPSED) {
            return received.plus(target.due());
        }
        long days = Math.max(1, (target.due().toHours() + 23) / 24);
        LocalDate lastDay = received.atZone(zone).toLocalDate().plusDays(days);
        return lastDay.plusDays(1).atStartOfDay(zone).toInstant().minusMillis(1);
    }
}
