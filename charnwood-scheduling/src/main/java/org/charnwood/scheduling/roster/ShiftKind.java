package org.charnwood.scheduling.roster;

import java.time.LocalTime;

/** The shifts of a 24-hour ward or team, with their usual NHS times and paid hours (unpaid break taken off). */
public enum ShiftKind {
    EARLY(LocalTime.of(7, 0), 8 * 60, 450),
    LATE(LocalTime.of(13, 30), 8 * 60, 450),
    NIGHT(LocalTime.of(21, 0), 10 * 60 + 30, 600),
    LONG_DAY(LocalTime.of(7, 0), 12 * 60 + 30, 690);

    private final LocalTime start;
    private final int lengthMinutes;
    private final int paidMinutes;

    ShiftKind(LocalTime start, int lengthMinutes, int paidMinutes) {
        this.start = start;
        this.lengthMinutes = lengthMinutes;
        this.paidMinutes = paidMinutes;
    }

    public LocalTime start() {
        return start;
    }

    public int lengthMinutes() {
        return lengthMinutes;
    }

    public int paidMinutes() {
        return paidMinutes;
    }
}
