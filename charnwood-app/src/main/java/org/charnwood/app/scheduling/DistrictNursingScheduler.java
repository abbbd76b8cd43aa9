package org.charnwood.app.scheduling;

import org.charnwood.scheduling.travel.GreatCircleTravelTimes;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.SolveLimits;
import org.charnwood.scheduling.visits.VisitPlanner;
import org.charnwood.scheduling.visits.VisitProblem;
import org.springframework.stereotype.Service;

import java.time.LocalDate;
import java.util.List;

/**
 * Plans a district-nursing team's day from the FHIR store and publishes it as Appointments. Planning is CPU-bound
 * for the time it is given: call it from a background task, not a request thread.
 */
@Service
public class DistrictNursingScheduler {

    private final TeamDayReader reader;
    private final PlannedAppointments appointments;
    private final VisitPlanner planner = new VisitPlanner(GreatCircleTravelTimes.leicestershire());

    DistrictNursingScheduler(TeamDayReader reader, PlannedAppointments appointments) {
        this.reader = reader;
        this.appointments = appointments;
    }

    /** The team's day as a problem: its members and the visits due, read from the store. */
    public VisitProblem problem(String careTeamId, LocalDate date) {
        return reader.read(careTeamId, date);
    }

    public DayPlan plan(String careTeamId, LocalDate date, SolveLimits limits) {
        return planner.plan(reader.read(careTeamId, date), limits);
    }

    /** Books every planned visit as an Appointment, in route order, in one transaction; returns their ids. */
    public List<String> publish(DayPlan plan) {
        return appointments.write(plan);
    }
}
