package org.charnwood.scheduling.visits;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import org.charnwood.scheduling.travel.GeoPoint;
import org.charnwood.scheduling.travel.Leg;
import org.charnwood.scheduling.travel.TravelMatrix;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** One test per visit-planning constraint; every leg in these fixtures is 10 minutes and 5 km. */
class VisitConstraintsTests {

    private static final int EIGHT = 8 * 3600;
    private static final TravelMatrix MATRIX = TravelMatrix.of(
            Collections.nCopies(10, new GeoPoint(52.77, -1.2)),
            (from, to, departure) -> new Leg(Duration.ofMinutes(10), 5000), null);

    private final ConstraintVerifier<VisitConstraints, VisitPlan> verifier =
            ConstraintVerifier.build(new VisitConstraints(), VisitPlan.class, Carer.class, Visit.class);

    private static Carer carer(String id, Set<String> skills, int band, Gender gender, int shiftEndHour,
                               int maxVisits, int maxWorkMinutes) {
        return new Carer(id, skills, band, gender, 0, EIGHT, shiftEndHour * 3600, 0, 0, maxVisits,
                maxWorkMinutes * 60, 0, MATRIX);
    }

    private static Carer carer(String id) {
        return carer(id, Set.of("wound-care"), 6, Gender.FEMALE, 17, 14, 480);
    }

    private static Visit visit(String id, String patient, int place, int minutes, int latestStartMinutesAfterEight,
                               Priority priority, Set<String> skills, int band, Gender preferred,
                               Set<String> previousCarers, String previousPlanCarer) {
        return new Visit(id, patient, place, minutes * 60, EIGHT, EIGHT + latestStartMinutesAfterEight * 60, priority,
                skills, band, preferred, previousCarers, previousPlanCarer, false, MATRIX);
    }

    private static Visit visit(String id) {
        return visit(id, "patient-" + id, 1, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), null);
    }

    /** Lays visits in a route and sets the shadow variables as the solver would. */
    private static Carer route(Carer carer, Visit... visits) {
        carer.setVisits(new java.util.ArrayList<>(List.of(visits)));
        Visit previous = null;
        for (Visit visit : visits) {
            visit.setCarer(carer);
            visit.setPrevious(previous);
            if (previous != null) {
                previous.setNext(visit);
            }
            visit.updateArrival();
            previous = visit;
        }
        return carer;
    }

    @Test
    void penalisesEachSkillTheNurseLacks() {
        Visit visit = visit("v1", "p1", 1, 30, 480, Priority.ROUTINE, Set.of("wound-care", "peg-feeding",
                "syringe-driver"), 0, null, Set.of(), null);
        Carer carer = route(carer("a"), visit);
        verifier.verifyThat(VisitConstraints::skillMatch).given(carer, visit).penalizesBy(2);
    }

    @Test
    void penalisesANurseBelowTheVisitsBand() {
        Visit visit = visit("v1", "p1", 1, 30, 480, Priority.ROUTINE, Set.of(), 7, null, Set.of(), null);
        Carer carer = route(carer("a"), visit);
        verifier.verifyThat(VisitConstraints::minimumBand).given(carer, visit).penalizesBy(1);
    }

    @Test
    void penalisesMinutesPastTheLatestStart() {
        Visit visit = visit("v1", "p1", 1, 30, 5, Priority.ROUTINE, Set.of(), 0, null, Set.of(), null);
        Carer carer = route(carer("a"), visit);
        verifier.verifyThat(VisitConstraints::timeWindow).given(carer, visit).penalizesBy(5);
    }

    @Test
    void penalisesMinutesBackAtBaseAfterTheShift() {
        Visit visit = visit("v1", "p1", 1, 60, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), null);
        Carer carer = route(carer("a", Set.of(), 6, Gender.FEMALE, 9, 14, 480), visit);
        // 08:00 + 10 travel + 60 visit + 10 back = 09:20
        verifier.verifyThat(VisitConstraints::workingHours).given(carer, visit).penalizesBy(20);
    }

    @Test
    void penalisesVisitsOverTheDailyMaximum() {
        Visit first = visit("v1");
        Visit second = visit("v2", "p2", 2, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), null);
        Carer carer = route(carer("a", Set.of(), 6, Gender.FEMALE, 17, 1, 480), first, second);
        verifier.verifyThat(VisitConstraints::maximumVisits).given(carer, first, second).penalizesBy(1);
    }

    @Test
    void penalisesWorkingTimeOverTheLimit() {
        Visit visit = visit("v1");
        Carer carer = route(carer("a", Set.of(), 6, Gender.FEMALE, 17, 14, 30), visit);
        // 30 minutes visiting + 20 minutes driving against a 30-minute limit
        verifier.verifyThat(VisitConstraints::maximumWorkingTime).given(carer, visit).penalizesBy(20);
    }

    @Test
    void penalisesTwoNursesWithOnePatientAtOnce() {
        Visit first = visit("v1", "same", 1, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), null);
        Visit second = visit("v2", "same", 1, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), null);
        Carer a = route(carer("a"), first);
        Carer b = route(carer("b"), second);
        verifier.verifyThat(VisitConstraints::patientVisitsOverlap).given(a, b, first, second).penalizesBy(30);
    }

    @Test
    void penalisesUnassignedVisitsByPriority() {
        Visit urgent = visit("v1", "p1", 1, 30, 120, Priority.URGENT, Set.of(), 0, null, Set.of(), null);
        Visit routine = visit("v2");
        verifier.verifyThat(VisitConstraints::unassignedVisit).given(carer("a"), urgent, routine)
                .penalizesBy(Priority.URGENT.unassignedWeight() + Priority.ROUTINE.unassignedWeight());
    }

    @Test
    void penalisesTravelInSecondsRoundTheRoute() {
        Visit first = visit("v1");
        Visit second = visit("v2", "p2", 2, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), null);
        Carer carer = route(carer("a"), first, second);
        verifier.verifyThat(VisitConstraints::travelTime).given(carer, first, second).penalizesBy(3 * 600);
    }

    @Test
    void penalisesANurseThePatientHasNotSeenBefore() {
        Visit visit = visit("v1", "p1", 1, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of("b"), null);
        Carer carer = route(carer("a"), visit);
        verifier.verifyThat(VisitConstraints::continuityOfCarer).given(carer, visit).penalizes(1);
    }

    @Test
    void penalisesANurseOfTheGenderThePatientDidNotAskFor() {
        Visit visit = visit("v1", "p1", 1, 30, 480, Priority.ROUTINE, Set.of(), 0, Gender.FEMALE, Set.of(), null);
        Carer carer = route(carer("a", Set.of(), 6, Gender.MALE, 17, 14, 480), visit);
        verifier.verifyThat(VisitConstraints::preferredCarerGender).given(carer, visit).penalizes(1);
    }

    @Test
    void penalisesTheSquareOfEachNursesVisitCount() {
        Visit first = visit("v1");
        Visit second = visit("v2", "p2", 2, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), null);
        Carer carer = route(carer("a"), first, second);
        verifier.verifyThat(VisitConstraints::fairWorkload).given(carer, first, second).penalizesBy(4);
    }

    @Test
    void penalisesUrgentWaitingMoreThanRoutine() {
        Visit urgent = visit("v1", "p1", 1, 30, 120, Priority.URGENT, Set.of(), 0, null, Set.of(), null);
        Carer carer = route(carer("a"), urgent);
        // starts 10 minutes after its window opens
        verifier.verifyThat(VisitConstraints::latenessByPriority).given(carer, urgent)
                .penalizesBy(10L * Priority.URGENT.latenessWeightPerMinute());
        Visit routine = visit("v2");
        Carer other = route(carer("b"), routine);
        verifier.verifyThat(VisitConstraints::latenessByPriority).given(other, routine).hasNoImpact();
    }

    @Test
    void penalisesVisitsMovedAwayFromThePreviousPlan() {
        Visit moved = visit("v1", "p1", 1, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), "b");
        Visit kept = visit("v2", "p2", 2, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), "a");
        Visit dropped = visit("v3", "p3", 3, 30, 480, Priority.ROUTINE, Set.of(), 0, null, Set.of(), "a");
        Carer carer = route(carer("a"), moved, kept);
        verifier.verifyThat(VisitConstraints::disruption).given(carer, moved, kept, dropped).penalizes(2);
    }
}
