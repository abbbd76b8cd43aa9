package org.charnwood.scheduling.roster;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.solution.ProblemFactCollectionProperty;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

import java.util.List;

/** Timefold's planning solution for a roster period. */
@PlanningSolution
public class Roster {

    @ProblemFactCollectionProperty
    @ValueRangeProvider
    private List<Nurse> nurses;

    @ProblemFactCollectionProperty
    private List<ShiftRequest> requests;

    @PlanningEntityCollectionProperty
    private List<ShiftSlot> slots;

    @PlanningScore
    private HardMediumSoftLongScore score;

    public Roster() {
    }

    public Roster(List<Nurse> nurses, List<ShiftRequest> requests, List<ShiftSlot> slots) {
        this.nurses = nurses;
        this.requests = requests;
        this.slots = slots;
    }

    public List<Nurse> getNurses() {
        return nurses;
    }

    public List<ShiftRequest> getRequests() {
        return requests;
    }

    public List<ShiftSlot> getSlots() {
        return slots;
    }

    public HardMediumSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftLongScore score) {
        this.score = score;
    }
}
