package org.charnwood.app.triage;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times and durations as the pages show them, in the trust's zone (NHS.UK style: "Mon 2 Nov 2026, 14:05"). */
public final class ReferralTimes {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.UK);

    private final ZoneId zone;

    ReferralTimes(ZoneId zone) {
        this.zone = zone;
    }

    public String at(Instant instant) {
        return instant == null ? "" : AT.format(instant.atZone(zone));
    }

    /** A duration in days, hours and minutes, largest units first ("2 days 3 hours", "1 hour 35 minutes"). */
    public String duration(Duration d) {
        Duration abs = d.abs();
        long days = abs.toDays();
        long hours = abs.toHoursPart();
        long minutes = abs.toMinutesPart();
        StringBuilder s = new StringBuilder();
        if (days > 0) {
            s.append(days).append(days == 1 ? " day" : " days");
        }
        if (hours > 0 && days < 7) {
            s.append(s.isEmpty() ? "" : " ").append(hours).append(hours == 1 ? " hour" : " hours");
        }
        if (days == 0 && (minutes > 0 || hours == 0)) {
            s.append(s.isEmpty() ? "" : " ").append(minutes).append(minutes == 1 ? " minute" : " minutes");
        }
        return s.toString();
    }

    /** What a clock reading means now: time left, time over, or how long it took. */
    public String summary(ClockReading c) {
        if (!c.running()) {
            return (c.state() == ClockState.MET ? "Met in " : "Breached: took ") + duration(c.elapsed());
        }
        if (c.remaining().isNegative()) {
            return "Over target by " + duration(c.remaining());
        }
        return duration(c.remaining()) + " left (due " + at(c.dueBy()) + ")";
    }

    /** The NHS.UK tag modifier for a clock state; the tag's text always says the state, so colour is not alone. */
    public String tag(ClockState state) {
        return switch (state) {
            case BREACHED -> "nhsuk-tag--red";
            case NEAR_BREACH -> "nhsuk-tag--orange";
            case MET -> "nhsuk-tag--green";
            case RUNNING -> "nhsuk-tag--blue";
        };
    }
}
