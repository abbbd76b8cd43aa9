package org.charnwood.scheduling.roster;

import java.time.LocalDate;
import java.util.List;

/** A ward's or team's roster period to fill: its staff, the demand per shift, leave and requests. */
public record RosterProblem(String unit, LocalDate firstDay, int days, List<RosterStaff> staff,
                            List<ShiftDemand> demand, List<Leave> leave, List<ShiftRequest> requests) {

    public RosterProblem {
        staff = List.copyOf(staff);
        demand = List.copyOf(demand);
        leave = List.copyOf(leave);
        requests = List.copyOf(requests);
    }
}
