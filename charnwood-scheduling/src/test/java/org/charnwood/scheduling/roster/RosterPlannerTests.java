package org.charnwood.scheduling.roster;

import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import org.charnwood.scheduling.generator.WardRosters;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RosterPlannerTests {

    /** A fixed amount of search rather than a time, so a busy machine cannot change the outcome. */
    private static final long MOVES = 400_000;

    private final RosterPlanner planner = new RosterPlanner();

    @Test
    void fillsATwoWeekWardRosterWithinTheRules() {
        RosterProblem problem = WardRosters.ward(7, 2, 30);
        RosterPlan plan = planner.plan(problem, new TerminationConfig().withMoveCountLimit(MOVES));

        assertThat(plan.feasible()).as(plan.score().toString()).isTrue();
        // 30 staff cover the demand; a short search may leave a stray place for the bank, never a senior one.
        assertThat(plan.vacancies()).hasSizeLessThanOrEqualTo(3).noneMatch(VacantShift::seniorRequired);
        Set<String> staffDays = new HashSet<>();
        for (RosteredShift shift : plan.shifts()) {
            assertThat(staffDays.add(shift.staffId() + shift.date())).as("one shift a day").isTrue();
        }
        assertThat(plan.score().costs()).isNotEmpty();
    }

    @Test
    void publishesWhatItCannotFillToTheBank() {
        RosterProblem problem = WardRosters.ward(7, 1, 6);
        RosterPlan plan = planner.plan(problem, new TerminationConfig().withMoveCountLimit(MOVES / 4));

        assertThat(plan.feasible()).as(plan.score().toString()).isTrue();
        assertThat(plan.vacancies()).isNotEmpty();
        assertThat(plan.score().cost(RosterConstraints.VACANT_SHIFT)).isPresent();
        assertThat(plan.shifts().size() + plan.vacancies().size())
                .isEqualTo(problem.demand().stream().mapToInt(ShiftDemand::headcount).sum());
    }
}
