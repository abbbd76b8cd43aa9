package org.charnwood.scheduling.roster;

import java.time.LocalDate;

/**
 * A staff member's wish for a day: to work a shift ({@code wanted}) or to avoid one. A null kind means any shift.
 */
public record ShiftRequest(String staffId, LocalDate date, ShiftKind kind, boolean wanted) {

    public boolean matches(LocalDate day, ShiftKind shift) {
        return date.equals(day) && (kind == null || kind == shift);
    }
}
