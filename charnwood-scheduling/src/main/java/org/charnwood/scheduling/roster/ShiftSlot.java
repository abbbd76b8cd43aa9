package org.charnwood.scheduling.roster;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.PlanningVariable;

import java.time.DayOfWeek;
import java.time.LocalDate;

/**
 * One place on one shift, to be filled by a nurse or left vacant (unassigned). Times are minutes from the start of the
 * roster period, so rest between shifts on different days is a subtraction.
 */
@PlanningEntity
public class ShiftSlot {

    @PlanningId
    private String id;
    private LocalDate date;
    private ShiftKind kind;
    private int day;
    private boolean seniorRequired;

    @PlanningVariable(allowsUnassigned = true)
    private Nurse nurse;

    public ShiftSlot() {
    }

    public ShiftSlot(String id, LocalDate date, ShiftKind kind, int day, boolean seniorRequired) {
        this.id = id;
        this.date = date;
        this.kind = kind;
        this.day = day;
        this.seniorRequired = seniorRequired;
    }

    public int startMinute() {
        return day * 1440 + kind.start().getHour() * 60 + kind.start().getMinute();
    }

    public int endMinute() {
        return startMinute() + kind.lengthMinutes();
    }

    public boolean isNight() {
        return kind == ShiftKind.NIGHT;
    }

    /** Saturday or Sunday, including Friday and Saturday nights that run into the weekend. */
    public boolean isWeekend() {
        DayOfWeek dow = date.getDayOfWeek();
        return dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY || (isNight() && dow == DayOfWeek.FRIDAY);
    }

    /** Hours of rest between this shift and a later one, negative if they overlap. */
    public int restMinutesBefore(ShiftSlot later) {
        return later.startMinute() - endMinute();
    }

    public String getId() {
        return id;
    }

    public LocalDate getDate() {
        return date;
    }

    public ShiftKind getKind() {
        return kind;
    }

    public int getDay() {
        return day;
    }

    public boolean isSeniorRequired() {
        return seniorRequired;
    }

    public Nurse getNurse() {
        return nurse;
    }

    public void setNurse(Nurse nurse) {
        this.nurse = nurse;
    }

    @Override
    public String toString() {
        return id;
    }
}
