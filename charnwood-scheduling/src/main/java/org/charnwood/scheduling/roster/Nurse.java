package org.charnwood.scheduling.roster;

import java.time.LocalDate;
import java.util.Set;

/** A staff member as a problem fact of the roster model. */
public class Nurse {

    private final String id;
    private final boolean senior;
    private final int contractedMinutes;
    private final Set<LocalDate> leave;

    public Nurse(String id, boolean senior, int contractedMinutes, Set<LocalDate> leave) {
        this.id = id;
        this.senior = senior;
        this.contractedMinutes = contractedMinutes;
        this.leave = leave;
    }

    public String getId() {
        return id;
    }

    public boolean isSenior() {
        return senior;
    }

    /** Contracted minutes over the whole roster period. */
    public int getContractedMinutes() {
        return contractedMinutes;
    }

    public boolean onLeave(LocalDate date) {
        return leave.contains(date);
    }

    @Override
    public String toString() {
        return id;
    }
}
