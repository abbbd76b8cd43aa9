package org.charnwood.scheduling.roster;

import java.time.LocalDate;

/**
 * How many people a shift needs and how many of them must be registered nurses of band 6 or above (to lead it).
 */
public record ShiftDemand(LocalDate date, ShiftKind kind, int headcount, int seniorCount) {

    public ShiftDemand {
        if (seniorCount > headcount) {
            throw new IllegalArgumentException("more seniors than people on " + date + " " + kind);
        }
    }
}
