package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.domain.entity.PlanningEntity;
import ai.timefold.solver.core.api.domain.entity.PlanningPinToIndex;
import ai.timefold.solver.core.api.domain.lookup.PlanningId;
import ai.timefold.solver.core.api.domain.variable.PlanningListVariable;
import org.charnwood.scheduling.travel.TravelMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A staff member in Timefold's model: the route (a list variable of visits) is what the solver plans. Visits may stay
 * unassigned when they cannot fit. The first {@code pinnedCount} visits (done or under way) are fixed.
 */
@PlanningEntity
public class Carer {

    @PlanningId
    private String id;
    private Set<String> skills;
    private int band;
    private Gender gender;
    private int base;
    private int shiftStart;
    private int shiftEnd;
    private int breakStart;
    private int breakEnd;
    private int maxVisits;
    private int maxWorkSeconds;
    private int notBefore;
    private TravelMatrix matrix;

    @PlanningListVariable(allowsUnassignedValues = true)
    private List<Visit> visits = new ArrayList<>();

    @PlanningPinToIndex
    private int pinnedCount;

    public Carer() {
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    Carer(String id, Set<String> skills, int band, Gender gender, int base, int shiftStart, int shiftEnd,
          int breakStart, int breakEnd, int maxVisits, int maxWorkSeconds, int notBefore, TravelMatrix matrix) {
        this.id = id;
        this.skills = skills;
        this.band = band;
        this.gender = gender;
        this.base = base;
        this.shiftStart = shiftStart;
        this.shiftEnd = shiftEnd;
        this.breakStart = breakStart;
        this.breakEnd = breakEnd;
        this.maxVisits = maxVisits;
        this.maxWorkSeconds = maxWorkSeconds;
        this.notBefore = notBefore;
        this.matrix = matrix;
    }

    public boolean hasBreak() {
        return breakEnd > breakStart;
    }

    /** Back at base after the last visit; the shift start when there are none. */
    public int routeEnd() {
        if (visits.isEmpty()) {
            return shiftStart;
        }
        Visit last = visits.get(visits.size() - 1);
        if (last.getArrival() == null) {
            return shiftStart;
        }
        return last.getEnd() + matrix.seconds(last.getPlace(), base);
    }

    public int overtimeMinutes() {
        return Math.max(0, (routeEnd() - shiftEnd + 59) / 60);
    }

    public long travelSeconds() {
        long total = 0;
        int at = base;
        for (Visit visit : visits) {
            total += matrix.seconds(at, visit.getPlace());
            at = visit.getPlace();
        }
        return total + matrix.seconds(at, base);
    }

    public long travelMetres() {
        long total = 0;
        int at = base;
        for (Visit visit : visits) {
            total += matrix.metres(at, visit.getPlace());
            at = visit.getPlace();
        }
        return total + matrix.metres(at, base);
    }

    /** Visiting plus travelling, the time the maximum working time limits. */
    public long workSeconds() {
        long work = travelSeconds();
        for (Visit visit : visits) {
            work += visit.getDurationSeconds();
        }
        return visits.isEmpty() ? 0 : work;
    }

    TravelMatrix matrix() {
        return matrix;
    }

    public String getId() {
        return id;
    }

    public Set<String> getSkills() {
        return skills;
    }

    public int getBand() {
        return band;
    }

    public Gender getGender() {
        return gender;
    }

    public int getBase() {
        return base;
    }

    public int getShiftStart() {
        return shiftStart;
    }

    public int getShiftEnd() {
        return shiftEnd;
    }

    public int getBreakStart() {
        return breakStart;
    }

    public int getBreakEnd() {
        return breakEnd;
    }

    public int getMaxVisits() {
        return maxVisits;
    }

    public int getMaxWorkSeconds() {
        return maxWorkSeconds;
    }

    public int getNotBefore() {
        return notBefore;
    }

    public List<Visit> getVisits() {
        return visits;
    }

    void setVisits(List<Visit> visits) {
        this.visits = visits;
    }

    public int getPinnedCount() {
        return pinnedCount;
    }

    void setPinnedCount(int pinnedCount) {
        this.pinnedCount = pinnedCount;
    }

    @Override
    public String toString() {
        return id;
    }
}
