package org.charnwood.scheduling.visits;

import java.time.LocalDate;
import java.util.List;

/** One team's day to plan: the staff on duty and the visits due. */
public record VisitProblem(LocalDate date, List<StaffMember> staff, List<VisitRequest> visits) {

    public VisitProblem {
        staff = List.copyOf(staff);
        visits = List.copyOf(visits);
    }
}
