package org.charnwood.scheduling.visits;

import java.util.List;

/**
 * A visit the plan could not take, and why: the hard constraints its best possible insertion would break, and in
 * words how many staff each constraint rules out.
 */
public record UnassignedVisit(String visitId, String patientId, Priority priority, List<String> blockingConstraints,
                              String explanation) {

    public UnassignedVisit {
        blockingConstraints = List.copyOf(blockingConstraints);
    }
}
