package org.charnwood.app.rostering;

import org.charnwood.scheduling.roster.ShiftKind;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** When a shift of a kind on a date starts and ends, on the ward's clock (UK time, across clock changes). */
final class ShiftTimes {

    static final ZoneId LONDON = ZoneId.of("Europe/London");

    private ShiftTimes() {
    }

    static Instant start(LocalDate date, ShiftKind kind) {
        return date.atTime(kind.start()).atZone(LONDON).toInstant();
    }

    static Instant end(LocalDate date, ShiftKind kind) {
        return date.atTime(kind.start()).atZone(LONDON).plusMinutes(kind.lengthMinutes()).toInstant();
    }

    static String label(ShiftKind kind) {
        return switch (kind) {
            case EARLY -> "Early";
            case LATE -> "Late";
            case NIGHT -> "Night";
            case LONG_DAY -> "Long day";
        };
    }
}
