package org.charnwood.scheduling.roster;

/** What the roster gives one person over the period, to check fairness and contracted hours at a glance. */
public record StaffTotals(String staffId, double hours, double contractedHours, int shifts, int nights,
                          int weekendShifts) {
}
