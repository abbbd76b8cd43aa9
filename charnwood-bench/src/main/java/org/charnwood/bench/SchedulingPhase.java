package org.charnwood.bench;

import org.charnwood.scheduling.generator.DistrictNursingDays;
import org.charnwood.scheduling.travel.GeoPoint;
import org.charnwood.scheduling.travel.GreatCircleTravelTimes;
import org.charnwood.scheduling.travel.TravelTimes;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.NearestNeighbourPlanner;
import org.charnwood.scheduling.visits.PlannedVisit;
import org.charnwood.scheduling.visits.Priority;
import org.charnwood.scheduling.visits.Route;
import org.charnwood.scheduling.visits.SolveLimits;
import org.charnwood.scheduling.visits.VisitPlanner;
import org.charnwood.scheduling.visits.VisitProblem;
import org.charnwood.scheduling.visits.VisitRequest;
import org.charnwood.scheduling.visits.VisitStatus;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * District-nursing visit planning on generated Leicestershire days: for each size, a greedy nearest-neighbour plan as
 * the yardstick, then the solver for a fixed time (first feasible plan, first plan with every visit placed, score and
 * travel at the end), then an urgent visit inserted at 11:00 into the solved day with the morning's visits pinned.
 * Targets: at least 20% less travel than greedy, urgent insertion within 2 s, 1,000 visits feasible within 10 s.
 */
final class SchedulingPhase implements Phase {

    private static final LocalTime ELEVEN = LocalTime.of(11, 0);

    private final int seconds;
    private final long seed;
    private final List<int[]> sizes;

    private SchedulingPhase(int seconds, long seed, List<int[]> sizes) {
        this.seconds = seconds;
        this.seed = seed;
        this.sizes = sizes;
    }

    static SchedulingPhase from(Options options) {
        options.allowOnly("seconds", "seed", "sizes");
        List<int[]> sizes = new ArrayList<>();
        for (String size : options.text("sizes", "250/25,1000/100").split(",")) {
            String[] parts = size.trim().split("/");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--sizes takes visits/staff pairs, e.g. 250/25,1000/100");
            }
            sizes.add(new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])});
        }
        return new SchedulingPhase(options.integer("seconds", 30), options.integer("seed", 1), sizes);
    }

    @Override
    public Report run() {
        TravelTimes travel = GreatCircleTravelTimes.leicestershire();
        VisitPlanner planner = new VisitPlanner(travel);
        Report.Builder report = Report.titled("Scheduling: district-nursing visit planning");
        // A first small solve loads and compiles the constraint streams, so no size pays for it.
        planner.plan(DistrictNursingDays.generate(seed, 3, 20),
                new SolveLimits(Duration.ofSeconds(2), Duration.ofMillis(500), 0));
        for (int[] size : sizes) {
            measure(planner, travel, size[0], size[1], report);
        }
        report.note("Problems from DistrictNursingDays.generate(seed " + seed + "): Leicestershire locality teams "
                + "of 25 (bands 3-7, six skills), visits with time windows, about 2% two-hour urgent.");
        report.note("Travel: great-circle distance x 1.3 road factor at 30/40/60 km/h (urban/suburban/rural) "
                + "plus 2 minutes a stop. Solver: the greedy plan as a start, Timefold's construction heuristic for "
                + "what it left out, then local search (Timefold's list moves plus nearby moves, late acceptance 10), "
                + "one thread, " + seconds + " s.");
        report.note("Greedy nearest neighbour (nearest in time): whoever is free soonest takes the visit they can "
                + "start soonest (travel plus any wait for its window; the nearest when several can start at once) "
                + "among those they may do and can fit in their shift, window, visit and working-time limits, without "
                + "two nurses at one patient at once: the same hard rules the solver keeps.");
        report.note("Travel saved is measured on the same work: the solver is run again on only the visits the "
                + "greedy plan placed, and the totals compared.");
        report.note("Urgent insertion: at 11:00 visits planned to start earlier are done or under way (pinned), a "
                + "two-hour urgent catheter visit is added and the day replanned: cheapest insertion of the new "
                + "visit (taking out a less urgent outstanding visit if no place is free), then local search (spent "
                + "limit 0.5 s, 0.2 s unimproved). The time is the whole replan call, including the travel matrix "
                + "(legs reused from the morning plan) and the score analysis; no unassigned-visit explanations.");
        return report.build();
    }

    private void measure(VisitPlanner planner, TravelTimes travel, int visitCount, int staffCount,
                         Report.Builder report) {
        String label = visitCount + " visits/" + staffCount + " staff: ";
        VisitProblem problem = DistrictNursingDays.generate(seed, staffCount, visitCount);

        long started = System.nanoTime();
        Map<String, List<String>> greedyRoutes = NearestNeighbourPlanner.routes(problem, travel);
        Duration greedyTime = Duration.ofNanos(System.nanoTime() - started);
        // Scored by a planner of its own: the solver's planner keeps the last travel matrix for replanning, and the
        // solver's first feasible plan should include computing its own.
        DayPlan greedy = new VisitPlanner(travel).evaluate(problem, greedyRoutes, 0);

        DayPlan solved = planner.plan(problem, new SolveLimits(Duration.ofSeconds(seconds), null, 20));

        report.figure(label + "greedy plan", describe(greedy) + ", " + greedyTime.toMillis() + " ms");
        report.figure(label + "first feasible plan", duration(solved.timeline().firstFeasible()));
        report.figure(label + "first plan with every visit placed",
                solved.timeline().firstComplete() == null ? "never (" + solved.unassigned().size()
                        + " left out at the end)" : duration(solved.timeline().firstComplete()));
        report.figure(label + "after " + seconds + " s", describe(solved));

        // Travel is only comparable for the same work: solve again with just the visits the greedy plan placed.
        Set<String> greedyVisits = new HashSet<>();
        greedyRoutes.values().forEach(greedyVisits::addAll);
        VisitProblem sameWork = new VisitProblem(problem.date(), problem.staff(),
                problem.visits().stream().filter(v -> greedyVisits.contains(v.id())).toList());
        DayPlan sameSolved = planner.plan(sameWork, new SolveLimits(Duration.ofSeconds(seconds), null, 0));
        double saving = 1 - (double) sameSolved.totalTravel().toSeconds() / greedy.totalTravel().toSeconds();
        report.figure(label + "solver on the greedy plan's " + greedyVisits.size() + " visits, " + seconds + " s",
                describe(sameSolved));
        report.figure(label + "travel saved against greedy for the same visits (target >= 20%)",
                Report.number(saving * 100, 1) + "%: " + Report.verdict(saving >= 0.20
                        && sameSolved.assignedCount() == greedy.assignedCount()));
        if (visitCount >= 1000) {
            boolean inTen = solved.timeline().firstFeasible() != null
                    && solved.timeline().firstFeasible().compareTo(Duration.ofSeconds(10)) <= 0;
            report.figure(label + "feasible within 10 s", Report.verdict(inTen));
        }

        VisitProblem at11 = afterEleven(problem, solved);
        started = System.nanoTime();
        DayPlan replanned = planner.replan(at11, solved, ELEVEN,
                new SolveLimits(Duration.ofMillis(500), Duration.ofMillis(200), 0));
        Duration insertion = Duration.ofNanos(System.nanoTime() - started);
        String placed = replanned.routeOf("urgent-bench").map(Route::staffId).orElse("not placed");
        report.figure(label + "urgent insertion at 11:00 (target <= 2 s)", insertion.toMillis() + " ms, with "
                + placed + ", " + replanned.reassignedVisitIds().size() + " other visits moved, "
                + replanned.score().score() + ": " + Report.verdict(insertion.compareTo(Duration.ofSeconds(2)) <= 0
                && !placed.equals("not placed")));
    }

    /** The day as it stands at 11:00, with one urgent visit added near the first staff member's base. */
    private static VisitProblem afterEleven(VisitProblem problem, DayPlan plan) {
        Map<String, VisitStatus> status = new HashMap<>();
        Map<String, String> by = new HashMap<>();
        for (Route route : plan.routes()) {
            for (PlannedVisit stop : route.visits()) {
                if (stop.start().isBefore(ELEVEN)) {
                    status.put(stop.visitId(), stop.end().isAfter(ELEVEN) ? VisitStatus.IN_PROGRESS
                            : VisitStatus.COMPLETED);
                    by.put(stop.visitId(), route.staffId());
                }
            }
        }
        List<VisitRequest> visits = new ArrayList<>();
        for (VisitRequest visit : problem.visits()) {
            visits.add(status.containsKey(visit.id()) ? visit.withStatus(status.get(visit.id()), by.get(visit.id()))
                    : visit);
        }
        GeoPoint base = problem.staff().get(0).base();
        visits.add(new VisitRequest("urgent-bench", "patient-urgent", new GeoPoint(base.latitude() + 0.01,
                base.longitude() + 0.01), Duration.ofMinutes(30), ELEVEN, ELEVEN.plusHours(2), Priority.URGENT,
                Set.of(DistrictNursingDays.CATHETER), 5, null, List.of(), VisitStatus.PLANNED, null));
        return new VisitProblem(problem.date(), problem.staff(), visits);
    }

    private static String describe(DayPlan plan) {
        return plan.assignedCount() + " placed, travel " + hours(plan.totalTravel()) + " ("
                + Report.number(perVisit(plan), 1) + " min/visit), "
                + Report.number(plan.totalTravelMetres() / 1000, 0) + " km, " + plan.score().score();
    }

    private static double perVisit(DayPlan plan) {
        return plan.assignedCount() == 0 ? 0 : plan.totalTravel().toSeconds() / 60.0 / plan.assignedCount();
    }

    private static String hours(Duration duration) {
        return Report.number(duration.toSeconds() / 3600.0, 1) + " h";
    }

    private static String duration(Duration duration) {
        return duration == null ? "never" : Report.number(duration.toMillis() / 1000.0, 2) + " s";
    }
}
