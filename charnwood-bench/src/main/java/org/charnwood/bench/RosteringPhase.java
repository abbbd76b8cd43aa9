package org.charnwood.bench;

import org.charnwood.scheduling.generator.WardRosters;
import org.charnwood.scheduling.roster.RosterPlan;
import org.charnwood.scheduling.roster.RosterConstraints;
import org.charnwood.scheduling.roster.RosterPlanner;
import org.charnwood.scheduling.roster.RosterProblem;
import org.charnwood.scheduling.roster.ShiftDemand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * E-rostering of a community hospital ward (WardRosters: about 30 staff, five on an early and a late and three on a
 * night, a band 6+ nurse on each) over 4 and 6 weeks. {@code RosterPlanner} offers no progress callback, so the
 * curve is sampled: for each time limit a fresh solve from scratch, and its score, feasibility and vacancies
 * recorded. "First feasible" is the shortest limit whose roster breaks no hard rule, an upper bound on the true
 * time, to the resolution of the limits.
 */
final class RosteringPhase implements Phase {

    private final List<Integer> weeks;
    private final int staff;
    private final long seed;
    private final List<Duration> limits;

    private RosteringPhase(List<Integer> weeks, int staff, long seed, List<Duration> limits) {
        this.weeks = weeks;
        this.staff = staff;
        this.seed = seed;
        this.limits = limits;
    }

    static RosteringPhase from(Options options) {
        options.allowOnly("weeks", "staff", "seed", "limits");
        List<Integer> weeks = new ArrayList<>();
        for (String w : options.text("weeks", "4,6").split(",")) {
            weeks.add(Integer.parseInt(w.trim()));
        }
        List<Duration> limits = new ArrayList<>();
        for (String l : options.text("limits", "0.5,1,2,5,10,30").split(",")) {
            limits.add(Duration.ofMillis(Math.round(Double.parseDouble(l.trim()) * 1000)));
        }
        return new RosteringPhase(weeks, options.integer("staff", 30), options.integer("seed", 1), limits);
    }

    @Override
    public Report run() {
        RosterPlanner planner = new RosterPlanner();
        Report.Builder report = Report.titled("Rostering: a ward of " + staff + " staff over 4 to 6 weeks");
        // A first solve of a different ward of the same size loads the classes, compiles the constraint streams and
        // warms the JIT, so the first (shortest) limit does not pay for them.
        planner.plan(WardRosters.ward(seed + 100, weeks.get(0), staff), Duration.ofSeconds(5), null);
        for (int w : weeks) {
            RosterProblem problem = WardRosters.ward(seed, w, staff);
            int places = problem.demand().stream().mapToInt(ShiftDemand::headcount).sum();
            String label = w + " weeks, " + problem.staff().size() + " staff, " + places + " places: ";
            Duration firstFeasible = null;
            Duration firstComplete = null;
            for (Duration limit : limits) {
                long started = System.nanoTime();
                RosterPlan plan = planner.plan(problem, limit, null);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                if (plan.feasible() && firstFeasible == null) {
                    firstFeasible = limit;
                }
                if (plan.feasible() && plan.vacancies().isEmpty() && firstComplete == null) {
                    firstComplete = limit;
                }
                report.figure(label + "after " + seconds(limit), plan.score().score() + ", "
                        + (plan.feasible() ? "feasible" : "NOT feasible") + ", " + plan.vacancies().size()
                        + " vacancies, hours short " + hoursShort(plan) + " (call " + seconds(took) + ")");
            }
            report.figure(label + "first feasible roster within", firstFeasible == null ? "never within "
                    + seconds(limits.get(limits.size() - 1)) : seconds(firstFeasible));
            report.figure(label + "first feasible roster with every place filled within", firstComplete == null
                    ? "never within " + seconds(limits.get(limits.size() - 1)) : seconds(firstComplete));
        }
        report.note("Problems from WardRosters.ward(seed " + seed + ", weeks, " + staff + "): bands 3-7, 70% full "
                + "time, about 30% with a week of leave, three shift requests each.");
        report.note("Each figure is a separate solve from scratch with that spent limit and no unimproved limit, "
                + "Timefold default phases (construction heuristic then local search), one thread; the call time "
                + "includes building the model and the score analysis.");
        report.note("Feasible means no hard rule broken; places left empty cost at the medium level, so a roster "
                + "with vacancies can be feasible. The generated ward has more contracted hours than places "
                + "(about 990 h a week for about 680 h of shifts), so 'hours short' is mostly structural.");
        report.note("Score is hard/medium/soft: hard = broken rules (rest, nights, leave, seniors, over contract), "
                + "medium = unfilled places (2 per senior, 1 per other), soft = hours short of contract, requests, "
                + "fairness of nights and weekends.");
        return report.build();
    }

    private static String hoursShort(RosterPlan plan) {
        return plan.score().cost(RosterConstraints.HOURS_SHORT).map(c -> Report.number(-c.soft() / 10.0, 0) + " h")
                .orElse("0 h");
    }

    private static String seconds(Duration d) {
        return Report.number(d.toMillis() / 1000.0, 1) + " s";
    }
}
