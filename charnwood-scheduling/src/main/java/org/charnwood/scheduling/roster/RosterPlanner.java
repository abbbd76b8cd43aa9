package org.charnwood.scheduling.roster;

import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.solver.ScoreAnalysisFetchPolicy;
import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.Solver;
import ai.timefold.solver.core.api.solver.SolverConfigOverride;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import org.charnwood.scheduling.ScoreReport;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fills a roster period. Build one per application; each call builds its own solver. */
public final class RosterPlanner {

    private final SolverFactory<Roster> solverFactory;
    private final SolutionManager<Roster, HardMediumSoftLongScore> solutions;

    public RosterPlanner() {
        this.solverFactory = SolverFactory.create(new SolverConfig()
                .withSolutionClass(Roster.class)
                .withEntityClasses(ShiftSlot.class)
                .withConstraintProviderClass(RosterConstraints.class)
                .withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofSeconds(30))));
        this.solutions = SolutionManager.create(solverFactory);
    }

    /** Searches for at most {@code spent}, stopping early after {@code unimproved} without a better roster. */
    public RosterPlan plan(RosterProblem problem, Duration spent, Duration unimproved) {
        TerminationConfig termination = new TerminationConfig().withSpentLimit(spent);
        if (unimproved != null) {
            termination.setUnimprovedSpentLimit(unimproved);
        }
        return plan(problem, termination);
    }

    /**
     * Searches {@code moves} moves, however long that takes: the same problem then always gets the same roster, which
     * a test that checks the roster needs (a time limit on a busy machine may leave little search at all).
     */
    public RosterPlan plan(RosterProblem problem, long moves) {
        return plan(problem, new TerminationConfig().withMoveCountLimit(moves));
    }

    /**
     * Searches until {@code termination} says stop. Tests give a move count rather than a time, so what they
     * assert does not depend on how busy the machine is.
     */
    RosterPlan plan(RosterProblem problem, TerminationConfig termination) {
        Solver<Roster> solver = solverFactory.buildSolver(
                new SolverConfigOverride<Roster>().withTerminationConfig(termination));
        Roster best = solver.solve(model(problem));
        return plan(problem, best);
    }

    static Roster model(RosterProblem problem) {
        double weeks = problem.days() / 7.0;
        List<Nurse> nurses = new ArrayList<>();
        for (RosterStaff staff : problem.staff()) {
            Set<LocalDate> leave = new HashSet<>();
            for (Leave l : problem.leave()) {
                if (l.staffId().equals(staff.id())) {
                    for (LocalDate d = l.first(); !d.isAfter(l.last()); d = d.plusDays(1)) {
                        leave.add(d);
                    }
                }
            }
            // Leave counts towards contracted hours, so the hours to roster shrink by a working day per day off.
            double leaveHours = leave.stream().filter(d -> !d.isBefore(problem.firstDay())
                    && d.isBefore(problem.firstDay().plusDays(problem.days()))
                    && d.getDayOfWeek().getValue() <= 5).count() * staff.contractedHoursPerWeek() / 5;
            int contracted = (int) Math.round((staff.contractedHoursPerWeek() * weeks - leaveHours) * 60);
            nurses.add(new Nurse(staff.id(), staff.senior(), Math.max(0, contracted), leave));
        }
        List<ShiftSlot> slots = new ArrayList<>();
        for (ShiftDemand demand : problem.demand()) {
            int day = (int) (demand.date().toEpochDay() - problem.firstDay().toEpochDay());
            for (int i = 0; i < demand.headcount(); i++) {
                slots.add(new ShiftSlot(demand.date() + "/" + demand.kind() + "/" + (i + 1), demand.date(),
                        demand.kind(), day, i < demand.seniorCount()));
            }
        }
        return new Roster(nurses, new ArrayList<>(problem.requests()), slots);
    }

    private RosterPlan plan(RosterProblem problem, Roster roster) {
        List<RosteredShift> shifts = new ArrayList<>();
        List<VacantShift> vacancies = new ArrayList<>();
        Map<String, int[]> tallies = new LinkedHashMap<>();
        problem.staff().forEach(s -> tallies.put(s.id(), new int[4]));
        for (ShiftSlot slot : roster.getSlots()) {
            if (slot.getNurse() == null) {
                vacancies.add(new VacantShift(slot.getDate(), slot.getKind(), slot.isSeniorRequired()));
                continue;
            }
            shifts.add(new RosteredShift(slot.getDate(), slot.getKind(), slot.getNurse().getId(),
                    slot.isSeniorRequired()));
            int[] tally = tallies.get(slot.getNurse().getId());
            tally[0] += slot.getKind().paidMinutes();
            tally[1]++;
            tally[2] += slot.isNight() ? 1 : 0;
            tally[3] += slot.isWeekend() ? 1 : 0;
        }
        shifts.sort(Comparator.comparing(RosteredShift::date).thenComparing(RosteredShift::kind)
                .thenComparing(RosteredShift::staffId));
        vacancies.sort(Comparator.comparing(VacantShift::date).thenComparing(VacantShift::kind));
        List<StaffTotals> totals = new ArrayList<>();
        for (Nurse nurse : roster.getNurses()) {
            int[] t = tallies.get(nurse.getId());
            totals.add(new StaffTotals(nurse.getId(), t[0] / 60.0, nurse.getContractedMinutes() / 60.0, t[1], t[2],
                    t[3]));
        }
        ScoreReport score = ScoreReport.of(solutions.analyze(roster, ScoreAnalysisFetchPolicy.FETCH_ALL));
        return new RosterPlan(problem.unit(), shifts, vacancies, totals, score);
    }
}
