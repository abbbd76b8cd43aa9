package org.charnwood.app.rostering;

import org.charnwood.scheduling.roster.ShiftKind;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One published place on a shift, as the shift app and the roster pages show it.
 *
 * @param status         ROSTERED, VACANT (offered to the bank) or BOOKED (taken from the bank)
 * @param practitionerId who works it; null while vacant
 */
public record Shift(long id, String careTeamId, String unit, LocalDate date, ShiftKind kind, Instant startsAt,
                    Instant endsAt, boolean seniorRequired, String practitionerId, String status) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);

    public String kindLabel() {
        return ShiftTimes.label(kind);
    }

    public String dayText() {
        return DAY.format(date);
    }

    /** "07:00 to 15:00", or "21:00 to 07:30 next day" for a night. */
    public String hoursText() {
        ZonedDateTime start = startsAt.atZone(ShiftTimes.LONDON);
        ZonedDateTime end = endsAt.atZone(ShiftTimes.LONDON);
        return TIME.format(start) + " to " + TIME.format(end)
                + (end.toLocalDate().isAfter(start.toLocalDate()) ? " next day" : "");
    }

    public String placeText() {
        return seniorRequired ? "Nurse in charge (band 6 or above, registered)" : "Ward staff";
    }
}
