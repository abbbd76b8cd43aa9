package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.travel.GeoPoint;
import org.charnwood.scheduling.travel.TravelMatrix;
import org.charnwood.scheduling.travel.TravelTimes;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link VisitProblem} of plain records into Timefold's {@link VisitPlan}: numbers the places (staff bases
 * first, then visits), precomputes the travel matrix and, when given routes, lays them in as the starting plan.
 */
final class VisitPlanModel {

    /** Travel is looked up for a mid-morning departure. */
    private static final LocalTime TYPICAL_DEPARTURE = LocalTime.of(10, 0);

    private VisitPlanModel() {
    }

    /**
     * @param routes     staff id to visit ids in order, laid in as the starting plan (empty for none)
     * @param revising   true when the routes are a plan being revised: leading visits done or under way are pinned
     *                   and moving any visit to another nurse counts as disruption
     * @param notBefore  when revising, the time from which outstanding visits can be reached (null for none)
     */
    static VisitPlan build(VisitProblem problem, TravelTimes travel, Map<String, List<String>> routes,
                           boolean revising, LocalTime notBefore) {
        return build(problem, travel, routes, revising, notBefore, null);
    }

    /** As above, copying the legs {@code known} (a matrix from an earlier build, or null) already has. */
    static VisitPlan build(VisitProblem problem, TravelTimes travel, Map<String, List<String>> routes,
                           boolean revising, LocalTime notBefore, TravelMatrix known) {
        List<GeoPoint> places = new ArrayList<>();
        problem.staff().forEach(s -> places.add(s.base()));
        problem.visits().forEach(v -> places.add(v.location()));
        TravelMatrix matrix = TravelMatrix.of(places, travel, LocalDateTime.of(problem.date(), TYPICAL_DEPARTURE),
                known);

        Map<String, String> plannedWith = new java.util.HashMap<>();
        routes.forEach((staffId, visitIds) -> visitIds.forEach(id -> plannedWith.put(id, staffId)));

        Map<String, Visit> visits = new LinkedHashMap<>();
        int place = problem.staff().size();
        for (VisitRequest request : problem.visits()) {
            String previousPlanCarer = revising ? plannedWith.get(request.id()) : null;
            visits.put(request.id(), new Visit(request.id(), request.patientId(), place++,
                    seconds(request.duration()), request.earliestStart().toSecondOfDay(),
                    request.latestStart().toSecondOfDay(), request.priority(), request.requiredSkills(),
                    request.minimumBand(), request.preferredCarerGender(), new HashSet<>(request.previousCarerIds()),
                    previousPlanCarer, revising && request.status() != VisitStatus.PLANNED, matrix));
        }
        int notBeforeSeconds = notBefore == null ? 0 : notBefore.toSecondOfDay();
        List<Carer> carers = new ArrayList<>();
        int base = 0;
        for (StaffMember staff : problem.staff()) {
            int breakStart = staff.breakStart() == null ? 0 : staff.breakStart().toSecondOfDay();
            int breakEnd = staff.breakStart() == null ? 0 : breakStart + seconds(staff.breakLength());
            int shiftSeconds = staff.shiftEnd().toSecondOfDay() - staff.shiftStart().toSecondOfDay();
            int maxWork = staff.maxWorking() == null ? shiftSeconds : seconds(staff.maxWorking());
            int maxVisits = staff.maxVisits() <= 0 ? Integer.MAX_VALUE : staff.maxVisits();
            Carer carer = new Carer(staff.id(), staff.skills(), staff.band(), staff.gender(), base++,
                    staff.shiftStart().toSecondOfDay(), staff.shiftEnd().toSecondOfDay(), breakStart, breakEnd,
                    maxVisits, maxWork, notBeforeSeconds, matrix);
            List<Visit> route = new ArrayList<>();
            for (String visitId : routes.getOrDefault(staff.id(), List.of())) {
                Visit visit = visits.get(visitId);
                if (visit != null) {
                    route.add(visit);
                }
            }
            carer.setVisits(route);
            int pinned = 0;
            while (revising && pinned < route.size() && route.get(pinned).isFixed()) {
                pinned++;
            }
            carer.setPinnedCount(pinned);
            carers.add(carer);
        }
        return new VisitPlan(carers, new ArrayList<>(visits.values()));
    }

    private static int seconds(Duration duration) {
        return Math.toIntExact(duration.toSeconds());
    }
}
