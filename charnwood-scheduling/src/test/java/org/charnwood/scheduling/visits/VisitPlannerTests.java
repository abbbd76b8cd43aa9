package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.generator.DistrictNursingDays;
import org.charnwood.scheduling.travel.GeoPoint;
import org.charnwood.scheduling.travel.GreatCircleTravelTimes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class VisitPlannerTests {

    /** A fixed amount of search rather than a time, so a busy machine cannot change the plan asserted on. */
    private static final SolveLimits SHORT = SolveLimits.moves(10_000, 20);
    /** A replan's tidy-up after the new visits are inserted, again counted in moves. */
    private static final SolveLimits REPLAN = SolveLimits.moves(2_000, 5);

    private final VisitPlanner planner = new VisitPlanner(GreatCircleTravelTimes.leicestershire());

    @Test
    void plansASmallGeneratedDayWithinTheHardRules() {
        VisitProblem problem = DistrictNursingDays.generate(3, 6, 40);
        DayPlan plan = planner.plan(problem, SHORT);

        assertThat(plan.feasible()).as(plan.score().score()).isTrue();
        assertThat(plan.assignedCount() + plan.unassigned().size()).isEqualTo(40);
        assertThat(plan.assignedCount()).isGreaterThanOrEqualTo(34);
        Map<String, VisitRequest> requests = new HashMap<>();
        problem.visits().forEach(v -> requests.put(v.id(), v));
        for (Route route : plan.routes()) {
            for (PlannedVisit stop : route.visits()) {
                VisitRequest request = requests.get(stop.visitId());
                assertThat(stop.start()).isBetween(request.earliestStart(), request.latestStart());
            }
        }
        assertThat(plan.score().cost(VisitConstraints.TRAVEL)).isPresent();
        assertThat(plan.timeline().firstFeasible()).isNotNull();
    }

    @Test
    void explainsWhichRuleKeptAVisitOut() {
        VisitProblem day = DistrictNursingDays.generate(3, 4, 12);
        List<VisitRequest> visits = new ArrayList<>(day.visits());
        visits.add(VisitRequest.routine("tracheostomy", "patient-t", new GeoPoint(52.77, -1.20),
                Duration.ofMinutes(45), LocalTime.of(9, 0), LocalTime.of(15, 0), Set.of("tracheostomy-care")));
        DayPlan plan = planner.plan(new VisitProblem(day.date(), day.staff(), visits), SHORT);

        assertThat(plan.feasible()).isTrue();
        assertThat(plan.unassigned()).anySatisfy(u -> {
            assertThat(u.visitId()).isEqualTo("tracheostomy");
            assertThat(u.blockingConstraints()).contains(VisitConstraints.SKILL_MATCH);
            assertThat(u.explanation()).contains(VisitConstraints.SKILL_MATCH + " rules out 4");
        });
        assertThat(plan.score().cost(VisitConstraints.UNASSIGNED)).isPresent();
    }

    @Test
    void insertsAnUrgentVisitKeepingVisitsDoneWhereTheyWereAndMovingFewOthers() {
        VisitProblem morning = DistrictNursingDays.generate(5, 6, 40);
        DayPlan first = planner.plan(morning, SHORT);

        // At 11:00 the visits planned to start before then are done or under way.
        LocalTime now = LocalTime.of(11, 0);
        Map<String, VisitStatus> done = new HashMap<>();
        Map<String, String> doneBy = new HashMap<>();
        Map<String, Integer> doneCount = new HashMap<>();
        for (Route route : first.routes()) {
            for (PlannedVisit stop : route.visits()) {
                if (stop.start().isBefore(now)) {
                    done.put(stop.visitId(), stop.end().isAfter(now) ? VisitStatus.IN_PROGRESS : VisitStatus.COMPLETED);
                    doneBy.put(stop.visitId(), route.staffId());
                    doneCount.merge(route.staffId(), 1, Integer::sum);
                }
            }
        }
        assertThat(done).isNotEmpty();
        List<VisitRequest> visits = new ArrayList<>();
        for (VisitRequest v : morning.visits()) {
            visits.add(done.containsKey(v.id()) ? v.withStatus(done.get(v.id()), doneBy.get(v.id())) : v);
        }
        visits.add(new VisitRequest("urgent-1", "patient-urgent", new GeoPoint(52.7700, -1.2100),
                Duration.ofMinutes(30), LocalTime.of(11, 0), LocalTime.of(13, 0), Priority.URGENT,
                Set.of(DistrictNursingDays.CATHETER), 5, null, List.of(), VisitStatus.PLANNED, null));
        // How fast an urgent visit is placed is measured by the scheduling benchmark, not asserted here.
        DayPlan replanned = planner.replan(new VisitProblem(morning.date(), morning.staff(), visits), first,
                now, REPLAN);

        assertThat(replanned.routeOf("urgent-1")).isPresent();
        PlannedVisit urgent = replanned.routeOf("urgent-1").orElseThrow().visits().stream()
                .filter(v -> v.visitId().equals("urgent-1")).findFirst().orElseThrow();
        assertThat(urgent.start()).isBetween(LocalTime.of(11, 0), LocalTime.of(13, 0));
        for (Route before : first.routes()) {
            Route after = replanned.routes().stream().filter(r -> r.staffId().equals(before.staffId()))
                    .findFirst().orElseThrow();
            for (int i = 0; i < doneCount.getOrDefault(before.staffId(), 0); i++) {
                assertThat(after.visits().get(i).visitId()).isEqualTo(before.visits().get(i).visitId());
                assertThat(after.visits().get(i).pinned()).isTrue();
            }
        }
        assertThat(replanned.reassignedVisitIds()).hasSizeLessThanOrEqualTo(4)
                .doesNotContainAnyElementsOf(done.keySet());
    }

    @Test
    void takesOutARoutineVisitToFitAnUrgentOneIntoAFullDay() {
        GeoPoint base = new GeoPoint(52.7680, -1.2000);
        StaffMember nurse = new StaffMember("staff-1", "Nurse", Set.of(DistrictNursingDays.CATHETER), 6,
                Gender.FEMALE, base, LocalTime.of(8, 0), LocalTime.of(12, 0), null, null, 0, null);
        List<VisitRequest> routine = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            routine.add(VisitRequest.routine("routine-" + i, "patient-" + i,
                    new GeoPoint(base.latitude() + 0.002 * (i + 1), base.longitude()), Duration.ofMinutes(50),
                    LocalTime.of(8, 0), LocalTime.of(11, 0), Set.of()));
        }
        VisitProblem day = new VisitProblem(java.time.LocalDate.of(2026, 11, 26), List.of(nurse), routine);
        DayPlan morning = planner.plan(day, SHORT);
        assertThat(morning.assignedCount()).isEqualTo(4);

        List<VisitRequest> withUrgent = new ArrayList<>(routine);
        withUrgent.add(new VisitRequest("urgent-1", "patient-urgent", new GeoPoint(base.latitude() + 0.003,
                base.longitude()), Duration.ofMinutes(30), LocalTime.of(8, 0), LocalTime.of(10, 0), Priority.URGENT,
                Set.of(DistrictNursingDays.CATHETER), 5, null, List.of(), VisitStatus.PLANNED, null));
        DayPlan replanned = planner.replan(new VisitProblem(day.date(), List.of(nurse), withUrgent), morning,
                LocalTime.of(8, 0), REPLAN);

        assertThat(replanned.feasible()).as(replanned.score().score()).isTrue();
        assertThat(replanned.routeOf("urgent-1")).isPresent();
        assertThat(replanned.unassigned()).hasSize(1)
                .allSatisfy(u -> assertThat(u.visitId()).startsWith("routine-"));
        assertThat(replanned.reassignedVisitIds()).containsExactly(replanned.unassigned().get(0).visitId());
    }

    @Test
    void scoresGivenRoutesWithoutSearching() {
        VisitProblem problem = DistrictNursingDays.generate(3, 4, 20);
        Map<String, List<String>> greedy = NearestNeighbourPlanner.routes(problem,
                GreatCircleTravelTimes.leicestershire());
        DayPlan plan = planner.evaluate(problem, greedy, 0);

        assertThat(plan.feasible()).as(plan.score().toString() + greedy + plan.routes()).isTrue();
        assertThat(plan.assignedCount()).isEqualTo(greedy.values().stream().mapToInt(List::size).sum());
    }
}
