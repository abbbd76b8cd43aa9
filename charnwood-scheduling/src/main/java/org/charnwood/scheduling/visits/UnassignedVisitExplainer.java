package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.score.analysis.ConstraintAnalysis;
import ai.timefold.solver.core.api.score.analysis.ScoreAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.RecommendedAssignment;
import ai.timefold.solver.core.api.solver.ScoreAnalysisFetchPolicy;
import ai.timefold.solver.core.api.solver.SolutionManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Says why a visit was left out. Timefold's assignment recommendation tries the visit at every position of every
 * route and scores each try; the hard constraints the best try would break are what kept it out, and counting, per
 * staff member, the constraints broken by their best position shows how widely each rule bites.
 */
final class UnassignedVisitExplainer {

    private final SolutionManager<VisitPlan, HardMediumSoftLongScore> solutions;

    UnassignedVisitExplainer(SolutionManager<VisitPlan, HardMediumSoftLongScore> solutions) {
        this.solutions = solutions;
    }

    /** Where a trial insertion put the visit. */
    record Insertion(String staffId, int position) {
    }

    List<UnassignedVisit> explain(VisitPlan plan, int limit) {
        List<UnassignedVisit> result = new ArrayList<>();
        for (Visit visit : plan.getVisits()) {
            if (visit.getCarer() != null) {
                continue;
            }
            if (result.size() >= limit) {
                result.add(new UnassignedVisit(visit.getId(), visit.getPatientId(), visit.getPriority(), List.of(),
                        "Not analysed: more than " + limit + " visits are unassigned."));
                continue;
            }
            result.add(explain(plan, visit));
        }
        return result;
    }

    private UnassignedVisit explain(VisitPlan plan, Visit visit) {
        List<RecommendedAssignment<Insertion, HardMediumSoftLongScore>> tries = solutions.recommendAssignment(plan,
                visit, v -> v.getCarer() == null ? null
                        : new Insertion(v.getCarer().getId(), v.getCarer().getVisits().indexOf(v)),
                ScoreAnalysisFetchPolicy.FETCH_SHALLOW)
                .stream().filter(t -> t.proposition() != null).toList();
        if (tries.isEmpty()) {
            return new UnassignedVisit(visit.getId(), visit.getPatientId(), visit.getPriority(), List.of(),
                    "No staff member is on duty.");
        }
        RecommendedAssignment<Insertion, HardMediumSoftLongScore> best = tries.get(0);
        List<String> blocking = brokenHardConstraints(best.scoreAnalysisDiff());
        if (blocking.isEmpty()) {
            return new UnassignedVisit(visit.getId(), visit.getPatientId(), visit.getPriority(), List.of(),
                    "Fits with " + best.proposition().staffId() + " at position " + best.proposition().position()
                            + " without breaking a hard rule, but was not placed within the time limit.");
        }
        // The best try per staff member: which rules stop each of them taking the visit.
        Map<String, List<String>> bestPerStaff = new LinkedHashMap<>();
        for (RecommendedAssignment<Insertion, HardMediumSoftLongScore> attempt : tries) {
            bestPerStaff.computeIfAbsent(attempt.proposition().staffId(),
                    id -> brokenHardConstraints(attempt.scoreAnalysisDiff()));
        }
        Map<String, Integer> staffBlocked = new TreeMap<>();
        bestPerStaff.values().forEach(rules -> rules.forEach(rule -> staffBlocked.merge(rule, 1, Integer::sum)));
        StringBuilder text = new StringBuilder("Best insertion, with ").append(best.proposition().staffId())
                .append(", would break ").append(String.join(", ", blocking)).append(". Across ")
                .append(bestPerStaff.size()).append(" staff: ");
        List<String> counts = new ArrayList<>();
        staffBlocked.forEach((rule, count) -> counts.add(rule + " rules out " + count));
        text.append(String.join("; ", counts)).append('.');
        return new UnassignedVisit(visit.getId(), visit.getPatientId(), visit.getPriority(), blocking,
                text.toString());
    }

    private static List<String> brokenHardConstraints(ScoreAnalysis<HardMediumSoftLongScore> diff) {
        Set<String> broken = new LinkedHashSet<>();
        for (ConstraintAnalysis<HardMediumSoftLongScore> constraint : diff.constraintAnalyses()) {
            if (constraint.score().hardScore() < 0) {
                broken.add(constraint.constraintName());
            }
        }
        return List.copyOf(broken);
    }
}
