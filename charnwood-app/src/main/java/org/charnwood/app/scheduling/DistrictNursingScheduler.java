package org.charnwood.app.scheduling;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.scheduling.ScoreReport;
import org.charnwood.scheduling.travel.GreatCircleTravelTimes;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.PlannedVisit;
import org.charnwood.scheduling.visits.Route;
import org.charnwood.scheduling.visits.SolveLimits;
import org.charnwood.scheduling.visits.SolveTimeline;
import org.charnwood.scheduling.visits.VisitPlanner;
import org.charnwood.scheduling.visits.VisitProblem;
import org.charnwood.scheduling.visits.VisitRequest;
import org.charnwood.scheduling.visits.VisitStatus;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans a district-nursing team's day from the FHIR store and publishes it as Appointments. Planning is CPU-bound
 * for the time it is given: call it from a background task, not a request thread ({@link TeamDayPlans} does).
 */
@Service
public class DistrictNursingScheduler {

    private final TeamDayReader reader;
    private final PlannedAppointments appointments;
    private final FhirRepository repository;
    private final VisitPlanner planner = new VisitPlanner(GreatCircleTravelTimes.leicestershire());

    DistrictNursingScheduler(TeamDayReader reader, PlannedAppointments appointments, FhirRepository repository) {
        this.reader = reader;
        this.appointments = appointments;
        this.repository = repository;
    }

    /**
     * The team's day as a problem: its members and the visits due, read from the store, each visit marked in
     * progress or completed (and with whom) when its published Appointment says so.
     */
    public VisitProblem problem(String careTeamId, LocalDate date) {
        VisitProblem read = reader.read(careTeamId, date);
        Map<String, PlannedAppointments.PublishedVisit> published = new LinkedHashMap<>();
        appointments.published(careTeamId, date).forEach(v -> published.put(v.serviceRequestId(), v));
        List<VisitRequest> visits = new ArrayList<>();
        for (VisitRequest visit : read.visits()) {
            PlannedAppointments.PublishedVisit booked = published.get(visit.id());
            VisitStatus status = booked == null ? VisitStatus.PLANNED : switch (booked.status()) {
                case ARRIVED, CHECKEDIN -> VisitStatus.IN_PROGRESS;
                case FULFILLED -> VisitStatus.COMPLETED;
                default -> VisitStatus.PLANNED;
            };
            visits.add(booked == null ? visit : visit.withStatus(status, booked.staffId()));
        }
        return new VisitProblem(date, read.staff(), visits);
    }

    public DayPlan plan(String careTeamId, LocalDate date, SolveLimits limits) {
        return planner.plan(reader.read(careTeamId, date), limits);
    }

    /** Plans a problem already read (so a page can show the same problem it planned). */
    public DayPlan plan(VisitProblem problem, SolveLimits limits) {
        return planner.plan(problem, limits);
    }

    /**
     * Replans a day under way from {@code previous} (the plan being revised; when null, the day as published, or
     * a fresh plan when nothing is published): visits done or under way stay where they are, outstanding visits
     * start no earlier than {@code now}, new visits are fitted in, and moving a visit to another nurse costs a
     * little so the plan stays close to the one the team is working to. {@link DayPlan#reassignedVisitIds()}
     * lists what moved.
     */
    public DayPlan replan(VisitProblem problem, String careTeamId, DayPlan previous, LocalTime now,
                         SolveLimits limits) {
        DayPlan before = previous != null ? previous : published(careTeamId, problem.date()).orElse(null);
        if (before == null) {
            return planner.plan(problem, limits);
        }
        return planner.replan(problem, before, now, limits);
    }

    /**
     * Books every planned visit as an Appointment, in route order, in one transaction, replacing the team's plan
     * for the day if one was published before (see {@link PlannedAppointments}); returns the Appointment ids.
     */
    public List<String> publish(String careTeamId, DayPlan plan) {
        return appointments.write(careTeamId, plan);
    }

    /**
     * The day as published, as a plan: the routes the Appointments give, in visiting order, at their booked
     * times (no travel or score: those belong to the plan that was published, not to its Appointments).
     */
    public Optional<DayPlan> published(String careTeamId, LocalDate date) {
        Map<String, List<PlannedVisit>> routes = new LinkedHashMap<>();
        for (PlannedAppointments.PublishedVisit visit : appointments.published(careTeamId, date)) {
            routes.computeIfAbsent(visit.staffId(), k -> new ArrayList<>()).add(new PlannedVisit(
                    visit.serviceRequestId(), visit.patientId(), visit.start(), visit.start(), visit.end(),
                    Duration.ZERO, visit.status() != Appointment.AppointmentStatus.BOOKED));
        }
        if (routes.isEmpty()) {
            return Optional.empty();
        }
        List<Route> list = routes.entrySet().stream().map(e -> new Route(e.getKey(), e.getValue(), Duration.ZERO, 0,
                e.getValue().getLast().end())).toList();
        return Optional.of(new DayPlan(date, list, List.of(), new ScoreReport("published", true, 0, 0, 0, List.of()),
                List.of(), new SolveTimeline(null, null, Duration.ZERO)));
    }

    /**
     * Records an urgent visit for the team: an active {@code stat} ServiceRequest for the patient, to be seen
     * within two hours of {@code now} (the two-hour urgent community response). Returns its id.
     */
    public String requestUrgentVisit(String careTeamId, String patientId, String need, String requester,
                                     ZonedDateTime now) {
        ServiceRequest request = new ServiceRequest();
        request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        request.setPriority(ServiceRequest.ServiceRequestPriority.STAT);
        request.setCode(new CodeableConcept().setText(need));
        request.setSubject(new Reference("Patient/" + patientId));
        request.addPerformer(new Reference("CareTeam/" + careTeamId));
        request.setAuthoredOn(Date.from(now.toInstant()));
        if (requester != null) {
            request.setRequester(new Reference(requester));
        }
        request.setOccurrence(new Period().setStart(Date.from(now.toInstant()))
                .setEnd(Date.from(now.plusHours(2).toInstant())));
        return repository.inTransaction(session -> session.create(request).id());
    }
}
