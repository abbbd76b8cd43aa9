package org.charnwood.scheduling.visits;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

/** One staff member's day in visiting order, from base and back. */
public record Route(String staffId, List<PlannedVisit> visits, Duration travel, double travelMetres,
                    LocalTime backAtBase) {

    public Route {
        visits = List.copyOf(visits);
    }
}
