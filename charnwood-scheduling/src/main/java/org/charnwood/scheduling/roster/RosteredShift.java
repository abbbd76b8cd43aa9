package org.charnwood.scheduling.roster;

import java.time.LocalDate;

/** A shift worked by a staff member; {@code senior} when it fills a band 6+ registered nurse place. */
public record RosteredShift(LocalDate date, ShiftKind kind, String staffId, boolean senior) {
}
