package org.charnwood.app.scheduling;

import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.PlannedVisit;
import org.charnwood.scheduling.visits.Route;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;

/**
 * The patients a team's day concerns: those with a visit in its plan ready to publish, and those with a visit
 * already published for it (which publishing again would replace). A request about the day that is refused (someone
 * outside the team opening it, someone who does not lead it planning or publishing it) names them in its audit
 * record, so that the attempt is in each one's access history.
 */
@Component
class TeamDayPatients {

    private final TeamDayPlans plans;
    private final DistrictNursingScheduler scheduler;

    TeamDayPatients(TeamDayPlans plans, DistrictNursingScheduler scheduler) {
        this.plans = plans;
        this.scheduler = scheduler;
    }

    Set<String> of(String careTeamId, LocalDate date) {
        Set<String> patients = new TreeSet<>();
        plans.day(careTeamId, date).filter(d -> d.stage() == TeamDayPlans.Stage.READY && d.plan() != null)
                .ifPresent(d -> visited(d.plan(), patients));
        scheduler.published(careTeamId, date).ifPresent(plan -> visited(plan, patients));
        return patients;
    }

    private static void visited(DayPlan plan, Set<String> into) {
        for (Route route : plan.routes()) {
            for (PlannedVisit visit : route.visits()) {
                if (visit.patientId() != null) {
                    into.add(visit.patientId());
                }
            }
        }
    }
}
