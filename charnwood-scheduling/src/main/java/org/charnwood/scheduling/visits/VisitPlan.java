package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.domain.solution.PlanningEntityCollectionProperty;
import ai.timefold.solver.core.api.domain.solution.PlanningScore;
import ai.timefold.solver.core.api.domain.solution.PlanningSolution;
import ai.timefold.solver.core.api.domain.valuerange.ValueRangeProvider;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

import java.util.List;

/** Timefold's planning solution for one day: the carers with their routes and every visit. */
@PlanningSolution
public class VisitPlan {

    @PlanningEntityCollectionProperty
    private List<Carer> carers;

    @PlanningEntityCollectionProperty
    @ValueRangeProvider
    private List<Visit> visits;

    @PlanningScore
    private HardMediumSoftLongScore score;

    public VisitPlan() {
    }

    VisitPlan(List<Carer> carers, List<Visit> visits) {
        this.carers = carers;
        this.visits = visits;
    }

    public List<Carer> getCarers() {
        return carers;
    }

    public List<Visit> getVisits() {
        return visits;
    }

    public HardMediumSoftLongScore getScore() {
        return score;
    }

    void setScore(HardMediumSoftLongScore score) {
        this.score = score;
    }
}
