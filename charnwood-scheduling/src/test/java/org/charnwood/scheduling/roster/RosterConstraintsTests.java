package org.charnwood.scheduling.roster;

import ai.timefold.solver.test.api.score.stream.ConstraintVerifier;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Set;

/** One test per rostering constraint. The period starts on Monday 7 December 2026. */
class RosterConstraintsTests {

    private static final LocalDate MONDAY = LocalDate.of(2026, 12, 7);

    private final ConstraintVerifier<RosterConstraints, Roster> verifier =
            ConstraintVerifier.build(new RosterConstraints(), Roster.class, ShiftSlot.class);

    private static Nurse nurse(String id, boolean senior, double contractedHours) {
        return new Nurse(id, senior, (int) (contractedHours * 60), Set.of());
    }

    private static ShiftSlot slot(int day, ShiftKind kind, boolean senior, Nurse nurse) {
        ShiftSlot slot = new ShiftSlot(day + "/" + kind + "/" + senior, MONDAY.plusDays(day), kind, day, senior);
        slot.setNurse(nurse);
        return slot;
    }

    @Test
    void penalisesASeniorPlaceFilledByAJuniorNurse() {
        Nurse junior = nurse("hca", false, 1000);
        verifier.verifyThat(RosterConstraints::seniorCover)
                .given(junior, slot(0, ShiftKind.EARLY, true, junior), slot(0, ShiftKind.LATE, false, junior))
                .penalizesBy(1);
    }

    @Test
    void penalisesTwoShiftsOnOneDay() {
        Nurse nurse = nurse("a", true, 1000);
        verifier.verifyThat(RosterConstraints::oneShiftPerDay)
                .given(nurse, slot(0, ShiftKind.EARLY, false, nurse), slot(0, ShiftKind.NIGHT, false, nurse))
                .penalizesBy(1);
    }

    @Test
    void penalisesALateFollowedByAnEarly() {
        Nurse nurse = nurse("a", true, 1000);
        // late ends 21:30, early starts 07:00: 9.5 hours of rest, 1.5 short, rounded up to 2
        verifier.verifyThat(RosterConstraints::minimumRest)
                .given(nurse, slot(0, ShiftKind.LATE, false, nurse), slot(1, ShiftKind.EARLY, false, nurse))
                .penalizesBy(2);
        verifier.verifyThat(RosterConstraints::minimumRest)
                .given(nurse, slot(0, ShiftKind.EARLY, false, nurse), slot(1, ShiftKind.EARLY, false, nurse))
                .hasNoImpact();
    }

    @Test
    void penalisesNightsBeyondTheRunLimit() {
        Nurse nurse = nurse("a", true, 1000);
        Object[] facts = new Object[7];
        facts[0] = nurse;
        for (int d = 0; d < 6; d++) {
            facts[d + 1] = slot(d, ShiftKind.NIGHT, false, nurse);
        }
        verifier.verifyThat(RosterConstraints::consecutiveNights).given(facts)
                .penalizesBy(6 - RosterConstraints.MAX_CONSECUTIVE_NIGHTS);
    }

    @Test
    void penalisesAShiftDuringLeave() {
        Nurse away = new Nurse("a", true, 1000 * 60, Set.of(MONDAY.plusDays(2)));
        verifier.verifyThat(RosterConstraints::annualLeave)
                .given(away, slot(1, ShiftKind.EARLY, false, away), slot(2, ShiftKind.EARLY, false, away))
                .penalizesBy(1);
    }

    @Test
    void penalisesHoursOverContract() {
        Nurse nurse = nurse("a", true, 10);
        // two earlies are 15 paid hours against 10 contracted
        verifier.verifyThat(RosterConstraints::contractedHoursExceeded)
                .given(nurse, slot(0, ShiftKind.EARLY, false, nurse), slot(1, ShiftKind.EARLY, false, nurse))
                .penalizesBy(5);
    }

    @Test
    void penalisesVacantPlacesWithSeniorPlacesDouble() {
        verifier.verifyThat(RosterConstraints::vacantShift)
                .given(slot(0, ShiftKind.EARLY, true, null), slot(0, ShiftKind.EARLY, false, null))
                .penalizesBy(3);
    }

    @Test
    void penalisesHoursShortOfContractIncludingStaffWithNoShifts() {
        Nurse worked = nurse("a", true, 10);
        Nurse idle = nurse("b", true, 20);
        // a works 7.5 of 10 hours (2 short, rounded down), b works none of 20
        verifier.verifyThat(RosterConstraints::hoursShortOfContract)
                .given(worked, idle, slot(0, ShiftKind.EARLY, false, worked))
                .penalizesBy(22);
    }

    @Test
    void penalisesAWantedShiftNotGiven() {
        Nurse nurse = nurse("a", true, 1000);
        ShiftRequest met = new ShiftRequest("a", MONDAY, ShiftKind.EARLY, true);
        ShiftRequest unmet = new ShiftRequest("a", MONDAY.plusDays(1), ShiftKind.LATE, true);
        verifier.verifyThat(RosterConstraints::requestNotMet)
                .given(nurse, met, unmet, slot(0, ShiftKind.EARLY, false, nurse),
                        slot(1, ShiftKind.EARLY, false, nurse))
                .penalizesBy(1);
    }

    @Test
    void penalisesAShiftTheNurseAskedToAvoid() {
        Nurse nurse = nurse("a", true, 1000);
        ShiftRequest avoidAny = new ShiftRequest("a", MONDAY, null, false);
        ShiftRequest avoidNight = new ShiftRequest("a", MONDAY.plusDays(1), ShiftKind.NIGHT, false);
        verifier.verifyThat(RosterConstraints::avoidRequestBroken)
                .given(nurse, avoidAny, avoidNight, slot(0, ShiftKind.LATE, false, nurse),
                        slot(1, ShiftKind.EARLY, false, nurse))
                .penalizesBy(1);
    }

    @Test
    void penalisesNightsUnevenly() {
        Nurse a = nurse("a", true, 1000);
        Nurse b = nurse("b", true, 1000);
        verifier.verifyThat(RosterConstraints::fairNights)
                .given(a, b, slot(0, ShiftKind.NIGHT, false, a), slot(1, ShiftKind.NIGHT, false, a),
                        slot(2, ShiftKind.NIGHT, false, b))
                .penalizesBy(4 + 1);
    }

    @Test
    void penalisesWeekendsUnevenlyCountingFridayNights() {
        Nurse a = nurse("a", true, 1000);
        // Friday night (day 4), Saturday early (day 5), and a Monday early that is no weekend
        verifier.verifyThat(RosterConstraints::fairWeekends)
                .given(a, slot(4, ShiftKind.NIGHT, false, a), slot(5, ShiftKind.EARLY, false, a),
                        slot(0, ShiftKind.EARLY, false, a))
                .penalizesBy(4);
    }
}
