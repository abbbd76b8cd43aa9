package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.ScoreReport;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * A planned day: every staff member's route, the visits left out with their reasons, the score explained, and, after
 * a replan, which visits moved to another staff member.
 */
public record DayPlan(LocalDate date, List<Route> routes, List<UnassignedVisit> unassigned, ScoreReport score,
                      List<String> reassignedVisitIds, SolveTimeline timeline) {

    public DayPlan {
        routes = List.copyOf(routes);
        unassigned = List.copyOf(unassigned);
        reassignedVisitIds = List.copyOf(reassignedVisitIds);
    }

    public boolean feasible() {
        return score.feasible();
    }

    public Duration totalTravel() {
        return routes.stream().map(Route::travel).reduce(Duration.ZERO, Duration::plus);
    }

    public double totalTravelMetres() {
        return routes.stream().mapToDouble(Route::travelMetres).sum();
    }

    public int assignedCount() {
        return routes.stream().mapToInt(r -> r.visits().size()).sum();
    }

    /** The route a visit is in, if any. */
    public java.util.Optional<Route> routeOf(String visitId) {
        return routes.stream().filter(r -> r.visits().stream().anyMatch(v -> v.visitId().equals(visitId)))
                .findFirst();
    }
}
