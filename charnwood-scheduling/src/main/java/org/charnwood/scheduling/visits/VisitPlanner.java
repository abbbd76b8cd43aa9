package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.score.analysis.ScoreAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.RecommendedAssignment;
import ai.timefold.solver.core.api.solver.ScoreAnalysisFetchPolicy;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import org.charnwood.scheduling.ScoreReport;
import org.charnwood.scheduling.travel.TravelTimes;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plans a district-nursing day, and replans it during the day. Build one per application (it compiles the constraints
 * once) and call it from any thread: each call builds its own solver.
 */
public final class VisitPlanner {

    private final TravelTimes travel;
    private final SolverFactory<VisitPlan> solverFactory;
    /** Local search only: a replan starts from a complete plan with the new visits already inserted. */
    private final SolverFactory<VisitPlan> repairFactory;
    private final SolutionManager<VisitPlan, HardMediumSoftLongScore> solutions;
    private final UnassignedVisitExplainer explainer;

    public VisitPlanner(TravelTimes travel) {
        this.travel = travel;
        this.solverFactory = SolverFactory.create(new SolverConfig()
                .withSolutionClass(VisitPlan.class)
                .withEntityClasses(Carer.class, Visit.class)
                .withConstraintProviderClass(VisitConstraints.class)
                .withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofSeconds(30))));
        this.repairFactory = SolverFactory.create(new SolverConfig()
                .withSolutionClass(VisitPlan.class)
                .withEntityClasses(Carer.class, Visit.class)
                .withConstraintProviderClass(VisitConstraints.class)
                .withPhases(new LocalSearchPhaseConfig())
                .withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofSeconds(5))));
        this.solutions = SolutionManager.create(solverFactory);
        this.explainer = new UnassignedVisitExplainer(solutions);
    }

    /**
     * Plans the day from scratch. The search starts from the greedy nearest-in-time plan
     * ({@link NearestNeighbourPlanner}), which is fast and already respects every hard rule; Timefold's construction
     * heuristic then inserts what the greedy plan left out and local search improves the whole for the time given.
     * On the small, CPU-starved machines a trust may run this on, that start matters more than the search.
     */
    public DayPlan plan(VisitProblem problem, SolveLimits limits) {
        long started = System.nanoTime();
        VisitPlan plan = VisitPlanModel.build(problem, travel, Map.of(), false, null);
        Map<String, List<String>> routes = NearestNeighbourPlanner.routes(plan);
        // The greedy plan breaks no hard rule: the day has a feasible plan from here on.
        Duration greedyDone = Duration.ofNanos(System.nanoTime() - started);
        List<VisitProblem> teams = TeamPartition.split(problem, PARTITION_ABOVE);
        SolveLimits whole = limits;
        if (teams.size() > 1) {
            // Without nearby selection, local search over 100 routes mostly tries hopeless moves across the county;
            // each team's own locality first, then the whole day together for what is left of the time.
            Duration share = limits.spent().multipliedBy(3).dividedBy(4).dividedBy(teams.size());
            Map<String, List<String>> partRoutes = new LinkedHashMap<>();
            for (VisitProblem team : teams) {
                VisitPlan part = VisitPlanModel.build(team, travel, Map.of(), false, null);
                layIn(part, routes);
                VisitPlan solved = solve(solverFactory, part, new SolveLimits(share, limits.unimproved(), 0));
                solved.getCarers().forEach(c -> partRoutes.put(c.getId(),
                        c.getVisits().stream().map(Visit::getId).toList()));
            }
            routes = partRoutes;
            whole = new SolveLimits(limits.spent().dividedBy(4), limits.unimproved(), limits.explainUnassigned());
        }
        layIn(plan, routes);
        DayPlan result = solve(solverFactory, problem, plan, whole, started);
        return new DayPlan(result.date(), result.routes(), result.unassigned(), result.score(),
                result.reassignedVisitIds(), new SolveTimeline(greedyDone, result.timeline().firstComplete(),
                result.timeline().spent()));
    }

    /** Visits above which a day with several team bases is first solved team by team. */
    static final int PARTITION_ABOVE = 400;

    private static void layIn(VisitPlan plan, Map<String, List<String>> routes) {
        Map<String, Visit> visits = new java.util.HashMap<>();
        plan.getVisits().forEach(v -> visits.put(v.getId(), v));
        for (Carer carer : plan.getCarers()) {
            List<Visit> route = new ArrayList<>();
            routes.getOrDefault(carer.getId(), List.of()).forEach(id -> {
                if (visits.containsKey(id)) {
                    route.add(visits.get(id));
                }
            });
            carer.setVisits(route);
        }
    }

    /**
     * Replans a day under way, e.g. to fit an urgent visit in at 11:00. Visits done or under way at the front of each
     * route stay where they are (pinned); outstanding visits can be reached from {@code now}; visits in the problem
     * but not in {@code previous} (the new ones) start unassigned; moving a visit to another nurse costs a little, so
     * the new plan stays close to the old.
     */
    public DayPlan replan(VisitProblem problem, DayPlan previous, LocalTime now, SolveLimits limits) {
        VisitPlan plan = VisitPlanModel.build(problem, travel, routesOf(previous), true, now);
        Set<String> known = new HashSet<>();
        previous.routes().forEach(r -> r.visits().forEach(v -> known.add(v.visitId())));
        previous.unassigned().forEach(u -> known.add(u.visitId()));
        // New visits go in first, most urgent first, each at its best position (cheapest insertion), so an urgent
        // visit is placed within milliseconds; local search then tidies up for the time allowed.
        List<Visit> added = plan.getVisits().stream()
                .filter(v -> !known.contains(v.getId()))
                .sorted(Comparator.comparing(Visit::getPriority).thenComparingInt(Visit::getWindowEnd))
                .toList();
        for (Visit visit : added) {
            insertAtBestPosition(plan, visit);
        }
        return solve(repairFactory, problem, plan, limits);
    }

    private void insertAtBestPosition(VisitPlan plan, Visit visit) {
        List<RecommendedAssignment<UnassignedVisitExplainer.Insertion, HardMediumSoftLongScore>> tries =
                solutions.recommendAssignment(plan, visit, v -> v.getCarer() == null ? null
                        : new UnassignedVisitExplainer.Insertion(v.getCarer().getId(),
                        v.getCarer().getVisits().indexOf(v)), ScoreAnalysisFetchPolicy.FETCH_SHALLOW);
        for (RecommendedAssignment<UnassignedVisitExplainer.Insertion, HardMediumSoftLongScore> attempt : tries) {
            if (attempt.proposition() == null) {
                return; // leaving it out scores best: every insertion breaks a hard rule
            }
            if (attempt.scoreAnalysisDiff().score().hardScore() < 0) {
                return;
            }
            for (Carer carer : plan.getCarers()) {
                if (carer.getId().equals(attempt.proposition().staffId())) {
                    carer.getVisits().add(attempt.proposition().position(), visit);
                    solutions.update(plan);
                    return;
                }
            }
        }
    }

    /** Scores given routes (e.g. a hand-made or greedy plan) without searching. */
    public DayPlan evaluate(VisitProblem problem, Map<String, List<String>> routes, int explainUnassigned) {
        VisitPlan plan = VisitPlanModel.build(problem, travel, routes, false, null);
        solutions.update(plan);
        return dayPlan(problem, plan, explainUnassigned, new SolveTimeline(null, null, Duration.ZERO));
    }

    private DayPlan solve(SolverFactory<VisitPlan> factory, VisitProblem problem, VisitPlan start,
                          SolveLimits limits) {
        return solve(factory, problem, start, limits, System.nanoTime());
    }

    private VisitPlan solve(SolverFactory<VisitPlan> factory, VisitPlan start, SolveLimits limits) {
        TerminationConfig termination = new TerminationConfig().withSpentLimit(limits.spent());
        if (limits.unimproved() != null) {
            termination.setUnimprovedSpentLimit(limits.unimproved());
        }
        return factory.buildSolver(new SolverConfigOverride<VisitPlan>().withTerminationConfig(termination))
                .solve(start);
    }

    /** Solves and reports times measured from {@code started}. */
    private DayPlan solve(SolverFactory<VisitPlan> factory, VisitProblem problem, VisitPlan start,
                          SolveLimits limits, long started) {
        TerminationConfig termination = new TerminationConfig().withSpentLimit(limits.spent());
        if (limits.unimproved() != null) {
            termination.setUnimprovedSpentLimit(limits.unimproved());
        }
        Solver<VisitPlan> solver = factory.buildSolver(
                new SolverConfigOverride<VisitPlan>().withTerminationConfig(termination));
        AtomicLong firstFeasible = new AtomicLong(-1);
        AtomicLong firstComplete = new AtomicLong(-1);
        long offset = System.nanoTime() - started;
        solver.addEventListener(event -> {
            HardMediumSoftLongScore score = (HardMediumSoftLongScore) event.getNewBestScore();
            if (score.isFeasible()) {
                firstFeasible.compareAndSet(-1, event.getTimeMillisSpent() + offset / 1_000_000);
                if (score.mediumScore() == 0) {
                    firstComplete.compareAndSet(-1, event.getTimeMillisSpent() + offset / 1_000_000);
                }
            }
        });
        VisitPlan best = solver.solve(start);
        Duration spent = Duration.ofNanos(System.nanoTime() - started);
        // The first best solution comes when construction ends and may already be the final one.
        if (best.getScore().isFeasible()) {
            firstFeasible.compareAndSet(-1, spent.toMillis());
            if (best.getScore().mediumScore() == 0) {
                firstComplete.compareAndSet(-1, spent.toMillis());
            }
        }
        return dayPlan(problem, best, limits.explainUnassigned(),
                new SolveTimeline(millis(firstFeasible.get()), millis(firstComplete.get()), spent));
    }

    private DayPlan dayPlan(VisitProblem problem, VisitPlan plan, int explainUnassigned, SolveTimeline timeline) {
        ScoreAnalysis<HardMediumSoftLongScore> analysis = solutions.analyze(plan, ScoreAnalysisFetchPolicy.FETCH_ALL);
        List<UnassignedVisit> unassigned = explainer.explain(plan, explainUnassigned);
        List<Route> routes = new ArrayList<>();
        List<String> reassigned = new ArrayList<>();
        for (Carer carer : plan.getCarers()) {
            List<PlannedVisit> stops = new ArrayList<>();
            for (int i = 0; i < carer.getVisits().size(); i++) {
                Visit visit = carer.getVisits().get(i);
                stops.add(new PlannedVisit(visit.getId(), visit.getPatientId(), time(visit.getArrival()),
                        time(visit.getStart()), time(visit.getEnd()),
                        Duration.ofSeconds(visit.travelSecondsFromPrevious()), i < carer.getPinnedCount()));
            }
            routes.add(new Route(carer.getId(), stops, Duration.ofSeconds(carer.getVisits().isEmpty() ? 0
                    : carer.travelSeconds()), carer.getVisits().isEmpty() ? 0 : carer.travelMetres(),
                    time(carer.routeEnd())));
        }
        for (Visit visit : plan.getVisits()) {
            if (visit.getPreviousPlanCarer() != null && (visit.getCarer() == null
                    || !visit.getPreviousPlanCarer().equals(visit.getCarer().getId()))) {
                reassigned.add(visit.getId());
            }
        }
        return new DayPlan(problem.date(), routes, unassigned, ScoreReport.of(analysis), reassigned, timeline);
    }

    static Map<String, List<String>> routesOf(DayPlan plan) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        for (Route route : plan.routes()) {
            routes.put(route.staffId(), route.visits().stream().map(PlannedVisit::visitId).toList());
        }
        return routes;
    }

    private static LocalTime time(int secondOfDay) {
        return LocalTime.ofSecondOfDay(Math.min(Math.max(secondOfDay, 0), 86_399));
    }

    private static Duration millis(long millis) {
        return millis < 0 ? null : Duration.ofMillis(millis);
    }
}
