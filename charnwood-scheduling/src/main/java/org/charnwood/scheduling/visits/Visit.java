package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.CascadingUpdateShadowVariable;
import ai.timefold.solver.core.api.domain.variable.InverseRelationShadowVariable;
import ai.timefold.solver.core.api.domain.variable.NextElementShadowVariable;
import ai.timefold.solver.core.api.domain.variable.PreviousElementShadowVariable;
import org.charnwood.scheduling.travel.TravelMatrix;

import java.util.Set;

/**
 * A visit in Timefold's model: an element of a {@link Carer}'s route. Its carer, neighbours and arrival time are
 * shadow variables the solver keeps up to date as routes change. Times are seconds since midnight.
 */
@PlanningEntity
public class Visit {

    @PlanningId
    private String id;
    private String patientId;
    private int place;
    private int durationSeconds;
    private int windowStart;
    private int windowEnd;
    private Priority priority;
    private Set<String> requiredSkills;
    private int minimumBand;
    private Gender preferredGender;
    private Set<String> previousCarers;
    private String previousPlanCarer;
    private boolean fixed;
    private TravelMatrix matrix;

    @InverseRelationShadowVariable(sourceVariableName = "visits")
    private Carer carer;
    @PreviousElementShadowVariable(sourceVariableName = "visits")
    private Visit previous;
    @NextElementShadowVariable(sourceVariableName = "visits")
    private Visit next;
    @CascadingUpdateShadowVariable(targetMethodName = "updateArrival")
    private Integer arrival;

    public Visit() {
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    Visit(String id, String patientId, int place, int durationSeconds, int windowStart, int windowEnd,
          Priority priority, Set<String> requiredSkills, int minimumBand, Gender preferredGender,
          Set<String> previousCarers, String previousPlanCarer, boolean fixed, TravelMatrix matrix) {
        this.id = id;
        this.patientId = patientId;
        this.place = place;
        this.durationSeconds = durationSeconds;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.priority = priority;
        this.requiredSkills = requiredSkills;
        this.minimumBand = minimumBand;
        this.preferredGender = preferredGender;
        this.previousCarers = previousCarers;
        this.previousPlanCarer = previousPlanCarer;
        this.fixed = fixed;
        this.matrix = matrix;
    }

    /** Recomputes the arrival from the previous stop (or the base); Timefold cascades it down the route. */
    void updateArrival() {
        if (carer == null) {
            arrival = null;
            return;
        }
        int from;
        int departure;
        if (previous == null) {
            from = carer.getBase();
            departure = carer.getShiftStart();
        } else {
            from = previous.place;
            departure = previous.getEnd();
        }
        arrival = departure + matrix.seconds(from, place);
    }

    public boolean isAssigned() {
        return carer != null && arrival != null;
    }

    /**
     * Starts on arrival or when the window opens, never runs across the carer's break and, when replanning, a visit
     * not yet started starts no earlier than now (a nurse already on the road keeps driving, so travel is not moved).
     */
    public int getStart() {
        int start = Math.max(arrival, windowStart);
        if (!fixed) {
            start = Math.max(start, carer.getNotBefore());
        }
        if (carer.hasBreak() && start < carer.getBreakEnd() && start + durationSeconds > carer.getBreakStart()) {
            start = carer.getBreakEnd();
        }
        return start;
    }

    public int getEnd() {
        return getStart() + durationSeconds;
    }

    public int travelSecondsFromPrevious() {
        return matrix.seconds(previous == null ? carer.getBase() : previous.place, place);
    }

    /** Seconds the visit starts after its window closes. */
    public int secondsLate() {
        return Math.max(0, getStart() - windowEnd);
    }

    /** Minutes after the window opens, the measure of an urgent visit's wait. */
    public int minutesAfterWindowStart() {
        return Math.max(0, getStart() - windowStart) / 60;
    }

    public int missingSkillCount() {
        int missing = 0;
        for (String skill : requiredSkills) {
            if (!carer.getSkills().contains(skill)) {
                missing++;
            }
        }
        return missing;
    }

    public boolean overlaps(Visit other) {
        return getStart() < other.getEnd() && other.getStart() < getEnd();
    }

    public int overlapMinutes(Visit other) {
        return Math.max(1, (Math.min(getEnd(), other.getEnd()) - Math.max(getStart(), other.getStart())) / 60);
    }

    TravelMatrix matrix() {
        return matrix;
    }

    public String getId() {
        return id;
    }

    public String getPatientId() {
        return patientId;
    }

    public int getPlace() {
        return place;
    }

    public int getDurationSeconds() {
        return durationSeconds;
    }

    public int getWindowStart() {
        return windowStart;
    }

    public int getWindowEnd() {
        return windowEnd;
    }

    public Priority getPriority() {
        return priority;
    }

    public Set<String> getRequiredSkills() {
        return requiredSkills;
    }

    public int getMinimumBand() {
        return minimumBand;
    }

    public Gender getPreferredGender() {
        return preferredGender;
    }

    public Set<String> getPreviousCarers() {
        return previousCarers;
    }

    public String getPreviousPlanCarer() {
        return previousPlanCarer;
    }

    public boolean isFixed() {
        return fixed;
    }

    public Carer getCarer() {
        return carer;
    }

    void setCarer(Carer carer) {
        this.carer = carer;
    }

    public Visit getPrevious() {
        return previous;
    }

    void setPrevious(Visit previous) {
        this.previous = previous;
    }

    public Visit getNext() {
        return next;
    }

    void setNext(Visit next) {
        this.next = next;
    }

    public Integer getArrival() {
        return arrival;
    }

    void setArrival(Integer arrival) {
        this.arrival = arrival;
    }

    @Override
    public String toString() {
        return id;
    }
}
