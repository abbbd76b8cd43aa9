package org.charnwood.scheduling.roster;

import java.time.LocalDate;

/** A place on a shift nobody on the roster can fill: published to the staff bank. */
public record VacantShift(LocalDate date, ShiftKind kind, boolean seniorRequired) {
}
