package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.travel.TravelTimes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan a coordinator might make by hand, as a yardstick for the solver: whoever is free soonest goes to the
 * nearest visit in time (the one they can start soonest: travel plus any wait for its window) among those they are
 * allowed to do and can finish within their shift, window and limits, the nearest by travel among those that can start
 * at the same moment. Nearest by distance alone does worse: it drives to a visit whose window opens hours later and
 * waits. No look-ahead, no priorities, no preferences.
 */
public final class NearestNeighbourPlanner {

    private NearestNeighbourPlanner() {
    }

    /** Staff id to visit ids in visiting order; score them with {@link VisitPlanner#evaluate}. */
    public static Map<String, List<String>> routes(VisitProblem problem, TravelTimes travel) {
        return routes(VisitPlanModel.build(problem, travel, Map.of(), false, null));
    }

    /** The greedy routes over a model with empty routes (its travel matrix already computed). */
    static Map<String, List<String>> routes(VisitPlan model) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        List<Carer> active = new ArrayList<>(model.getCarers());
        Map<Carer, int[]> state = new LinkedHashMap<>(); // {clock, place, visits, work}
        for (Carer carer : active) {
            routes.put(carer.getId(), new ArrayList<>());
            state.put(carer, new int[] {carer.getShiftStart(), carer.getBase(), 0, 0});
        }
        Set<Visit> open = new java.util.LinkedHashSet<>(model.getVisits()); // ordered: the same problem gives the same plan
        Map<String, List<int[]>> patientBusy = new java.util.HashMap<>();
        var matrix = model.getVisits().isEmpty() ? null : matrixOf(model);
        while (!active.isEmpty() && !open.isEmpty()) {
            Carer carer = active.get(0);
            for (Carer c : active) {
                if (state.get(c)[0] < state.get(carer)[0]) {
                    carer = c;
                }
            }
            int[] s = state.get(carer);
            Visit best = null;
            int bestStart = Integer.MAX_VALUE;
            int bestTravel = 0;
            for (Visit visit : open) {
                if (!carer.getSkills().containsAll(visit.getRequiredSkills())
                        || carer.getBand() < visit.getMinimumBand() || s[2] >= carer.getMaxVisits()) {
                    continue;
                }
                int travelTo = matrix.seconds(s[1], visit.getPlace());
                int start = Math.max(s[0] + travelTo, visit.getWindowStart());
                if (carer.hasBreak() && start < carer.getBreakEnd()
                        && start + visit.getDurationSeconds() > carer.getBreakStart()) {
                    start = carer.getBreakEnd();
                }
                int end = start + visit.getDurationSeconds();
                boolean fits = start <= visit.getWindowEnd()
                        && end + matrix.seconds(visit.getPlace(), carer.getBase()) <= carer.getShiftEnd()
                        && s[3] + travelTo + visit.getDurationSeconds()
                        + matrix.seconds(visit.getPlace(), carer.getBase()) <= carer.getMaxWorkSeconds();
                // Visits that can start at the same moment (several windows opening at 10:00) go to the nearest.
                boolean sooner = start < bestStart || (start == bestStart && travelTo < bestTravel);
                if (fits && sooner && !busy(patientBusy, visit.getPatientId(), start, end)) {
                    best = visit;
                    bestStart = start;
                    bestTravel = travelTo;
                }
            }
            if (best == null) {
                active.remove(carer);
                continue;
            }
            open.remove(best);
            patientBusy.computeIfAbsent(best.getPatientId(), p -> new ArrayList<>())
                    .add(new int[] {bestStart, bestStart + best.getDurationSeconds()});
            routes.get(carer.getId()).add(best.getId());
            s[0] = bestStart + best.getDurationSeconds();
            s[1] = best.getPlace();
            s[2]++;
            s[3] += bestTravel + best.getDurationSeconds();
        }
        return routes;
    }

    /** A patient is not seen by two nurses at once. */
    private static boolean busy(Map<String, List<int[]>> patientBusy, String patient, int start, int end) {
        for (int[] slot : patientBusy.getOrDefault(patient, List.of())) {
            if (start < slot[1] && slot[0] < end) {
                return true;
            }
        }
        return false;
    }

    private static org.charnwood.scheduling.travel.TravelMatrix matrixOf(VisitPlan model) {
        return model.getVisits().get(0).matrix();
    }
}
