package org.charnwood.app.scheduling;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The signed-in nurse's run sheet: their own published visits for the day in order, made for a phone (one column,
 * large tap targets, nothing wider than the screen) and for paper. Only the person's own visits are listed (those
 * booked with one of their PractitionerRoles); patients, and what each visit is for, are read under their access
 * scope like any other page.
 */
@Controller
@StaffPages
class RunSheetPages {

    private static final Set<Appointment.AppointmentStatus> LISTED = Set.of(Appointment.AppointmentStatus.BOOKED,
            Appointment.AppointmentStatus.ARRIVED, Appointment.AppointmentStatus.CHECKEDIN,
            Appointment.AppointmentStatus.FULFILLED);

    private final FhirRepository repository;
    private final RequesterSource requesters;
    private final TeamAccess access;
    private final VisitPatients patients;
    private final Clock clock;

    RunSheetPages(FhirRepository repository, RequesterSource requesters, TeamAccess access, VisitPatients patients,
                  Clock clock) {
        this.repository = repository;
        this.requesters = requesters;
        this.access = access;
        this.patients = patients;
        this.clock = clock;
    }

    /** One visit on the run sheet. */
    record RunSheetVisit(int order, LocalTime start, LocalTime end, String status, VisitPatients.PatientCard patient,
                         String need, String priority, boolean urgent, List<String> notes) {
    }

    @GetMapping("/staff/run-sheet")
    String runSheet(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                    HttpServletRequest request, Model model) {
        Requester requester = requesters.current(request);
        if (requester.kind() != Requester.Kind.STAFF || requester.fhirUser() == null
                || !requester.fhirUser().startsWith("Practitioner/")) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "A run sheet is for a member of staff");
        }
        LocalDate day = date == null ? clock.instant().atZone(TeamDayReader.LONDON).toLocalDate() : date;
        List<Appointment> booked = new ArrayList<>();
        for (PractitionerRole role : access.roles(requester.fhirUser())) {
            SearchRequest search = new SearchRequest("Appointment", Map.of(
                    "actor", List.of("PractitionerRole/" + role.getIdElement().getIdPart()),
                    "date", List.of("ge" + day, "lt" + day.plusDays(1)), "_count", List.of("200")), false);
            for (StoredResource stored : repository.search(search).matches()) {
                if (!stored.deleted()) {
                    Appointment appointment = stored.parse(Appointment.class);
                    if (LISTED.contains(appointment.getStatus()) && appointment.getIdentifier().stream()
                            .anyMatch(i -> PlannedAppointments.TEAM_DAY.equals(i.getSystem()))) {
                        appointment.setId(stored.id());
                        booked.add(appointment);
                    }
                }
            }
        }
        booked.sort(Comparator.comparing(Appointment::getStart));
        List<PlannedAppointments.PublishedVisit> visits = booked.stream()
                .map(a -> PlannedAppointments.visit(a.getIdElement().getIdPart(), a)).toList();
        Map<String, VisitPatients.PatientCard> cards = patients.cards(requester,
                visits.stream().map(PlannedAppointments.PublishedVisit::patientId).collect(Collectors.toList()), true);
        Map<String, ServiceRequest> shown = patients.requests(requester,
                visits.stream().map(PlannedAppointments.PublishedVisit::serviceRequestId).collect(Collectors.toList()));
        List<RunSheetVisit> rows = new ArrayList<>();
        int order = 1;
        for (PlannedAppointments.PublishedVisit visit : visits) {
            VisitPatients.PatientCard card = cards.getOrDefault(visit.patientId(),
                    VisitPatients.PatientCard.hidden(visit.patientId()));
            // The urgency is the team's planning information and is shown whatever the labels; what the visit is
            // for, and its notes, only when the person may see the request and the patient.
            ServiceRequest planned = serviceRequest(visit.serviceRequestId());
            ServiceRequest need = card.shown() ? shown.get(visit.serviceRequestId()) : null;
            List<String> notes = new ArrayList<>();
            if (need != null) {
                need.getNote().stream().map(Annotation::getText).filter(t -> t != null && !t.isBlank())
                        .forEach(notes::add);
                if (need.hasPatientInstruction()) {
                    notes.add(need.getPatientInstruction());
                }
            }
            ServiceRequest.ServiceRequestPriority priority = planned == null ? null : planned.getPriority();
            boolean urgent = priority == ServiceRequest.ServiceRequestPriority.STAT
                    || priority == ServiceRequest.ServiceRequestPriority.ASAP;
            rows.add(new RunSheetVisit(order++, TeamDayViews.minute(visit.start()), TeamDayViews.minute(visit.end()),
                    status(visit.status()), card,
                    planned != null && need == null ? VisitPatients.DETAILS_NOT_SHOWN : TeamDayViews.need(need),
                    urgent ? "Urgent" : priority == ServiceRequest.ServiceRequestPriority.URGENT ? "High" : "Routine",
                    urgent, notes));
        }
        model.addAttribute("date", day);
        model.addAttribute("visits", rows);
        return "scheduling/run-sheet";
    }

    /** The request a visit was planned from, read as the planner reads it: for its urgency only. */
    private ServiceRequest serviceRequest(String id) {
        if (id == null) {
            return null;
        }
        try {
            StoredResource stored = repository.read("ServiceRequest", id);
            return stored == null || stored.deleted() ? null : stored.parse(ServiceRequest.class);
        } catch (FhirException e) {
            return null;
        }
    }

    private static String status(Appointment.AppointmentStatus status) {
        return switch (status) {
            case ARRIVED, CHECKEDIN -> "In progress";
            case FULFILLED -> "Done";
            default -> "Booked";
        };
    }
}
