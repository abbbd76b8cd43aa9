package org.charnwood.app.rostering;

import org.charnwood.scheduling.roster.ShiftKind;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Annual leave or a shift preference asked for by a member of staff.
 *
 * @param kind      LEAVE, WANT (would like to work) or AVOID (would rather not work)
 * @param shiftKind the shift the preference is about; null for leave or for "any shift"
 * @param status    PENDING, APPROVED or DECLINED
 */
public record StaffRequest(long id, String practitionerId, String kind, LocalDate firstDay, LocalDate lastDay,
                           ShiftKind shiftKind, String note, String status, Instant requestedAt, String decidedBy) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    public String kindText() {
        return switch (kind) {
            case "LEAVE" -> "Annual leave";
            case "WANT" -> "Would like to work" + (shiftKind == null ? "" : " " + ShiftTimes.label(shiftKind).toLowerCase());
            default -> "Would rather not work" + (shiftKind == null ? "" : " " + ShiftTimes.label(shiftKind).toLowerCase());
        };
    }

    public String datesText() {
        return firstDay.equals(lastDay) ? DAY.format(firstDay) : DAY.format(firstDay) + " to " + DAY.format(lastDay);
    }

    public String statusText() {
        return switch (status) {
            case "APPROVED" -> "Approved";
            case "DECLINED" -> "Declined";
            default -> "Waiting for a decision";
        };
    }
}
