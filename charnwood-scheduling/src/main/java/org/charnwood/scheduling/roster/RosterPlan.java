package org.charnwood.scheduling.roster;

import org.charnwood.scheduling.ScoreReport;

import java.util.List;

/** A filled roster: the shifts worked, the vacancies for the bank, each person's totals and the score explained. */
public record RosterPlan(String unit, List<RosteredShift> shifts, List<VacantShift> vacancies,
                         List<StaffTotals> totals, ScoreReport score) {

    public RosterPlan {
        shifts = List.copyOf(shifts);
        vacancies = List.copyOf(vacancies);
        totals = List.copyOf(totals);
    }

    public boolean feasible() {
        return score.feasible();
    }
}
