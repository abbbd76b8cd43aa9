package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.solver.SolutionManager;
import ai.timefold.solver.core.api.solver.SolverFactory;
import ai.timefold.solver.core.config.solver.SolverConfig;
import org.charnwood.scheduling.generator.DistrictNursingDays;
import org.charnwood.scheduling.travel.GeoPoint;
import org.charnwood.scheduling.travel.GreatCircleTravelTimes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class VisitInsertionTests {

    private static final GeoPoint BASE = new GeoPoint(52.7680, -1.2000);
    private static final StaffMember NURSE = new StaffMember("staff-1", "Nurse",
            Set.of(DistrictNursingDays.CATHETER), 6, Gender.FEMALE, BASE, LocalTime.of(8, 0), LocalTime.of(12, 0),
            null, null, 0, null);

    private final SolutionManager<VisitPlan, ?> solutions = SolutionManager.create(SolverFactory.create(
            new SolverConfig().withSolutionClass(VisitPlan.class).withEntityClasses(Carer.class, Visit.class)
                    .withConstraintProviderClass(VisitConstraints.class)));

    /** Four 50-minute visits fill the nurse's four-hour morning; the first two are done by 10:00. */
    private VisitPlan fullMorning(Priority newPriority) {
        List<VisitRequest> visits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            VisitRequest visit = new VisitRequest("visit-" + i, "patient-" + i,
                    new GeoPoint(BASE.latitude() + 0.002 * (i + 1), BASE.longitude()), Duration.ofMinutes(50),
                    LocalTime.of(8, 0), LocalTime.of(11, 0), i == 3 ? Priority.HIGH : Priority.ROUTINE, Set.of(), 0,
                    null, List.of(), i < 2 ? VisitStatus.COMPLETED : VisitStatus.PLANNED, i < 2 ? "staff-1" : null);
            visits.add(visit);
        }
        visits.add(new VisitRequest("new", "patient-new", new GeoPoint(BASE.latitude() + 0.003, BASE.longitude()),
                Duration.ofMinutes(30), LocalTime.of(8, 0), LocalTime.of(11, 30), newPriority,
                Set.of(DistrictNursingDays.CATHETER), 5, null, List.of(), VisitStatus.PLANNED, null));
        VisitPlan plan = VisitPlanModel.build(new VisitProblem(LocalDate.of(2026, 11, 26), List.of(NURSE), visits),
                GreatCircleTravelTimes.leicestershire(),
                Map.of("staff-1", List.of("visit-0", "visit-1", "visit-2", "visit-3")), true, LocalTime.of(10, 0));
        solutions.update(plan);
        return plan;
    }

    private static Visit visit(VisitPlan plan, String id) {
        return plan.getVisits().stream().filter(v -> v.getId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void findsNoFreePlaceInAFullDay() {
        VisitPlan plan = fullMorning(Priority.URGENT);

        assertThat(VisitInsertion.options(plan, visit(plan, "new"), false)).isEmpty();
    }

    @Test
    void takesOutOnlyALessUrgentOutstandingVisitAndNeverOneAlreadyDone() {
        VisitPlan plan = fullMorning(Priority.URGENT);

        List<VisitInsertion.Option> options = VisitInsertion.options(plan, visit(plan, "new"), true);

        assertThat(options).isNotEmpty().allSatisfy(option -> {
            assertThat(option.position()).isGreaterThanOrEqualTo(2);
            assertThat(option.bumped().getId()).isIn("visit-2", "visit-3");
        });
        // A routine visit is cheaper to leave out than a high-priority one.
        assertThat(options.get(0).bumped().getId()).isEqualTo("visit-2");
        assertThat(options.get(0).medium()).isEqualTo(Priority.ROUTINE.unassignedWeight());
    }

    @Test
    void aRoutineVisitTakesNothingOut() {
        VisitPlan plan = fullMorning(Priority.ROUTINE);

        assertThat(VisitInsertion.options(plan, visit(plan, "new"), true)).isEmpty();
    }
}
