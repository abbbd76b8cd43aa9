package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import ai.timefold.solver.core.config.localsearch.LocalSearchPhaseConfig;
import ai.timefold.solver.core.config.solver.EnvironmentMode;
import ai.timefold.solver.core.config.solver.SolverConfig;
import ai.timefold.solver.core.config.solver.termination.TerminationConfig;
import ai.timefold.solver.core.preview.api.domain.metamodel.PlanningListVariableMetaModel;
import ai.timefold.solver.core.preview.api.domain.metamodel.PlanningSolutionMetaModel;
import ai.timefold.solver.core.preview.api.move.MoveTester;
import org.charnwood.scheduling.generator.DistrictNursingDays;
import org.charnwood.scheduling.travel.GreatCircleTravelTimes;
import org.charnwood.scheduling.travel.TravelMatrix;
import org.charnwood.scheduling.travel.TravelTimes;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NearbyVisitMovesTests {

    private static final TravelTimes TRAVEL = GreatCircleTravelTimes.leicestershire();

    @Test
    void neighboursAreTheNearestOtherVisitsByTravelNearestFirst() {
        VisitPlan plan = VisitPlanModel.build(DistrictNursingDays.generate(3, 4, 30), TRAVEL, Map.of(), false, null);
        Visit[] visits = plan.getVisits().toArray(Visit[]::new);
        TravelMatrix matrix = visits[0].matrix();

        Visit[] near = NearbyVisitMoves.neighbours(visits, 7, 5);

        List<Visit> expected = new ArrayList<>(List.of(visits));
        expected.remove(visits[7]);
        expected.sort(Comparator.comparingInt(v -> matrix.seconds(visits[7].getPlace(), v.getPlace())));
        assertThat(near).hasSize(5).doesNotContain(visits[7]);
        for (int i = 0; i < 5; i++) {
            assertThat(matrix.seconds(visits[7].getPlace(), near[i].getPlace()))
                    .isEqualTo(matrix.seconds(visits[7].getPlace(), expected.get(i).getPlace()));
        }
    }

    @Test
    void tailExchangeSwapsWhatFollowsTheTwoPositionsAndUndoes() {
        VisitProblem problem = DistrictNursingDays.generate(3, 2, 7);
        List<String> ids = problem.visits().stream().map(VisitRequest::id).toList();
        String first = problem.staff().get(0).id();
        String second = problem.staff().get(1).id();
        VisitPlan plan = VisitPlanModel.build(problem, TRAVEL,
                Map.of(first, ids.subList(0, 4), second, ids.subList(4, 7)), false, null);
        PlanningSolutionMetaModel<VisitPlan> model =
                PlanningSolutionMetaModel.of(VisitPlan.class, Carer.class, Visit.class);
        PlanningListVariableMetaModel<VisitPlan, Carer, Visit> routes =
                model.genuineEntity(Carer.class).listVariable();
        Carer a = plan.getCarers().get(0);
        Carer b = plan.getCarers().get(1);

        MoveTester.build(model).using(plan).executeTemporarily(
                new NearbyVisitMoves.TailExchange(routes, a, 1, b, 0), view -> {
                    assertThat(idsOf(a)).containsExactly(ids.get(0), ids.get(1), ids.get(5), ids.get(6));
                    assertThat(idsOf(b)).containsExactly(ids.get(4), ids.get(2), ids.get(3));
                });

        assertThat(idsOf(a)).containsExactlyElementsOf(ids.subList(0, 4));
        assertThat(idsOf(b)).containsExactlyElementsOf(ids.subList(4, 7));
    }

    /**
     * Full assertion recomputes the score from scratch after every move and its undo, so a nearby move that left a
     * shadow variable or the incremental score behind would fail here; visits done in the morning stay pinned.
     */
    @Test
    void searchWithOnlyNearbyMovesKeepsScoresExactAndPinnedVisitsInPlace() {
        VisitProblem day = DistrictNursingDays.generate(5, 5, 40);
        Map<String, List<String>> greedy = NearestNeighbourPlanner.routes(day, TRAVEL);
        Map<String, String> doneBy = new HashMap<>();
        greedy.forEach((staff, route) -> route.stream().limit(2).forEach(id -> doneBy.put(id, staff)));
        List<VisitRequest> visits = day.visits().stream()
                .map(v -> doneBy.containsKey(v.id()) ? v.withStatus(VisitStatus.COMPLETED, doneBy.get(v.id())) : v)
                .toList();
        VisitPlan plan = VisitPlanModel.build(new VisitProblem(day.date(), day.staff(), visits), TRAVEL, greedy,
                true, LocalTime.of(10, 0));
        SolverFactory<VisitPlan> factory = SolverFactory.create(new SolverConfig()
                .withSolutionClass(VisitPlan.class)
                .withEntityClasses(Carer.class, Visit.class)
                .withConstraintProviderClass(VisitConstraints.class)
                .withEnvironmentMode(EnvironmentMode.FULL_ASSERT)
                .withPhases(new LocalSearchPhaseConfig().withMoveSelectorConfig(
                        new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(NearbyVisitMoves.class)))
                .withTerminationConfig(new TerminationConfig().withMoveCountLimit(150L)));

        VisitPlan solved = factory.buildSolver().solve(plan);

        for (Carer carer : solved.getCarers()) {
            List<String> route = idsOf(carer);
            List<String> planned = greedy.get(carer.getId());
            int pinned = (int) Math.min(2, planned.size());
            assertThat(carer.getPinnedCount()).isEqualTo(pinned);
            assertThat(route.subList(0, pinned)).containsExactlyElementsOf(planned.subList(0, pinned));
        }
        assertThat(solved.getScore()).isNotNull();
    }

    private static List<String> idsOf(Carer carer) {
        return carer.getVisits().stream().map(Visit::getId).toList();
    }
}
