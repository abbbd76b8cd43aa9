package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.score.analysis.ScoreAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.RecommendedAssignment;
import ai.timefold.solver.core.api.solver.ScoreAnalysisFetchPolicy;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.list.ListChangeMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.list.ListSwapMoveSelectorConfig;
import ai.timefold.solver.core.config.heuristic.selector.move.generic.list.kopt.KOptListMoveSelectorConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import ai.timefold.solver.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import org.charnwood.scheduling.ScoreReport;
import org.charnwood.scheduling.travel.TravelMatrix;
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
import java.util.concurrent.atomic.AtomicReference;

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
    /**
     * The travel matrix of the last day planned, replanned or scored: a replan of that day asks only for the legs to
     * and from its new visits. Matrices are immutable, so sharing the latest between threads is safe.
     */
    private final AtomicReference<TravelMatrix> lastMatrix = new AtomicReference<>();

    public VisitPlanner(TravelTimes travel) {
        this.travel = travel;
        this.solverFactory = SolverFactory.create(new SolverConfig()
                .withSolutionClass(VisitPlan.class)
                .withEntityClasses(Carer.class, Visit.class)
                .withConstraintProviderClass(VisitConstraints.class)
                .withPhases(new ConstructionHeuristicPhaseConfig(), localSearch())
                .withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofSeconds(30))));
        this.repairFactory = SolverFactory.create(new SolverConfig()
                .withSolutionClass(VisitPlan.class)
                .withEntityClasses(Carer.class, Visit.class)
                .withConstraintProviderClass(VisitConstraints.class)
                .withPhases(localSearch())
                .withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofSeconds(5))));
        this.solutions = SolutionManager.create(solverFactory);
        this.explainer = new UnassignedVisitExplainer(solutions);
    }

    /**
     * Plans the day from scratch. The search starts from the greedy nearest-in-time plan
     * ({@link NearestNeighbourPlanner}), which is fast and already respects every hard rule; Timefold's construction
     * heuristic then inserts what the greedy plan left out and local search improves the whole for the time given,
     * mostly with {@link NearbyVisitMoves}. The whole day is searched at once: nearby moves keep a hundred routes
     * from costing more than ten (splitting a large day by team, as before, lost the visits best served across a
     * team boundary).
     */
    public DayPlan plan(VisitProblem problem, SolveLimits limits) {
        long started = System.nanoTime();
        VisitPlan plan = model(problem, Map.of(), false, null);
        Map<String, List<String>> routes = NearestNeighbourPlanner.routes(plan);
        // The greedy plan breaks no hard rule: the day has a feasible plan from here on.
        Duration greedyDone = Duration.ofNanos(System.nanoTime() - started);
        layIn(plan, routes);
        DayPlan result = solve(solverFactory, problem, plan, limits, started);
        return new DayPlan(result.date(), result.routes(), result.unassigned(), result.score(),
                result.reassignedVisitIds(), new SolveTimeline(greedyDone, result.timeline().firstComplete(),
                result.timeline().spent()));
    }

    /**
     * How often a nearby move is picked against each of Timefold's own list moves. Measured at a fixed count of
     * 200,000 moves on the 1,000-visit day (travel saved against greedy): weight 6, 9%; 20, 18%; 40 with the short
     * late acceptance below, 40%.
     */
    static final double NEARBY_WEIGHT = 40;
    /**
     * Late acceptance compares a move with the score this many steps ago. Timefold's default (400) wanders for longer
     * than a 30-second solve on a shared two-core machine can afford; 10 to 30 converge far sooner (same measure: 400,
     * 18%; 100, 29%; 30, 38%; 10, 39%).
     */
    static final int LATE_ACCEPTANCE_SIZE = 10;

    /**
     * Timefold's own list moves (change, swap, k-opt) keep the search able to reach anywhere; the nearby moves, picked
     * more often, are the ones that usually pay on a day of many routes.
     */
    static LocalSearchPhaseConfig localSearch() {
        return new LocalSearchPhaseConfig()
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(LATE_ACCEPTANCE_SIZE))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1))
                .withMoveSelectorConfig(new UnionMoveSelectorConfig().withMoveSelectors(
                new ListChangeMoveSelectorConfig().withFixedProbabilityWeight(1.0),
                new ListSwapMoveSelectorConfig().withFixedProbabilityWeight(1.0),
                new KOptListMoveSelectorConfig().withFixedProbabilityWeight(1.0),
                new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(NearbyVisitMoves.class)
                        .withFixedProbabilityWeight(NEARBY_WEIGHT)));
    }

    /** Builds the model of a whole day, reusing the legs of the last day built, and keeps its matrix for the next. */
    private VisitPlan model(VisitProblem problem, Map<String, List<String>> routes, boolean revising, LocalTime now) {
        VisitPlan plan = VisitPlanModel.build(problem, travel, routes, revising, now, lastMatrix.get());
        if (!plan.getCarers().isEmpty()) {
            lastMatrix.set(plan.getCarers().get(0).matrix());
        }
        return plan;
    }

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
        VisitPlan plan = model(problem, routesOf(previous), true, now);
        Set<String> known = new HashSet<>();
        previous.routes().forEach(r -> r.visits().forEach(v -> known.add(v.visitId())));
        previous.unassigned().forEach(u -> known.add(u.visitId()));
        // New visits go in first, most urgent first, each at its best position (cheapest insertion, bumping a less
        // urgent visit when the day is full), so an urgent visit is placed within milliseconds; local search then
        // tidies up for the time allowed.
        List<Visit> added = plan.getVisits().stream()
                .filter(v -> !known.contains(v.getId()))
                .sorted(Comparator.comparing(Visit::getPriority).thenComparingInt(Visit::getWindowEnd))
                .toList();
        for (Visit visit : added) {
            insert(plan, visit);
        }
        return solve(repairFactory, problem, plan, limits);
    }

    /** Options tried, best first, before a new visit is left for the local search. */
    private static final int INSERTION_TRIES = 5;

    /**
     * Puts a new visit at its cheapest place that breaks no hard rule; when there is none and the day is full, takes
     * out one outstanding visit of lower priority to make room and puts that one at its own cheapest place, or leaves
     * it unassigned (with its reason) when nothing fits. Each change is scored exactly and undone if it would break a
     * hard rule after all.
     */
    private void insert(VisitPlan plan, Visit visit) {
        solutions.update(plan);
        long hardBefore = plan.getScore().hardScore();
        List<VisitInsertion.Option> options = VisitInsertion.options(plan, visit, true);
        for (VisitInsertion.Option option : options.subList(0, Math.min(INSERTION_TRIES, options.size()))) {
            List<Visit> route = option.carer().getVisits();
            int bumpedAt = option.bumped() == null ? -1 : route.indexOf(option.bumped());
            if (bumpedAt >= 0) {
                route.remove(bumpedAt);
            }
            route.add(option.position(), visit);
            solutions.update(plan);
            if (plan.getScore().hardScore() >= hardBefore) {
                if (option.bumped() != null) {
                    reinsert(plan, option.bumped(), hardBefore);
                }
                return;
            }
            route.remove(option.position());
            if (bumpedAt >= 0) {
                route.add(bumpedAt, option.bumped());
            }
        }
        solutions.update(plan);
    }

    /** A visit taken out to make room goes to its own cheapest place, if one breaks no hard rule. */
    private void reinsert(VisitPlan plan, Visit visit, long hardBefore) {
        List<VisitInsertion.Option> options = VisitInsertion.options(plan, visit, false);
        for (VisitInsertion.Option option : options.subList(0, Math.min(INSERTION_TRIES, options.size()))) {
            List<Visit> route = option.carer().getVisits();
            route.add(option.position(), visit);
            solutions.update(plan);
            if (plan.getScore().hardScore() >= hardBefore) {
                return;
            }
            route.remove(option.position());
        }
        solutions.update(plan);
    }

    /** Scores given routes (e.g. a hand-made or greedy plan) without searching. */
    public DayPlan evaluate(VisitProblem problem, Map<String, List<String>> routes, int explainUnassigned) {
        VisitPlan plan = model(problem, routes, false, null);
        solutions.update(plan);
        return dayPlan(problem, plan, explainUnassigned, new SolveTimeline(null, null, Duration.ZERO));
    }

    private DayPlan solve(SolverFactory<VisitPlan> factory, VisitProblem problem, VisitPlan start,
                          SolveLimits limits) {
        return solve(factory, problem, start, limits, System.nanoTime());
    }

    /** Solves and reports times measured from {@code started}. */
    private DayPlan solve(SolverFactory<VisitPlan> factory, VisitProblem problem, VisitPlan start,
                          SolveLimits limits, long started) {
        TerminationConfig termination = new TerminationConfig();
        if (limits.spent() != null) {
            termination.setSpentLimit(limits.spent());
        }
        if (limits.moves() != null) {
            termination.setMoveCountLimit(limits.moves());
        }
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
