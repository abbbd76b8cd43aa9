package org.charnwood.scheduling.visits;

import java.time.Duration;
import java.time.LocalTime;

/** A visit in a route: when the nurse arrives, starts and leaves, and the drive there. */
public record PlannedVisit(String visitId, String patientId, LocalTime arrival, LocalTime start, LocalTime end,
                           Duration travelFromPrevious, boolean pinned) {
}
