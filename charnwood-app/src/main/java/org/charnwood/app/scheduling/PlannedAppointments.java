package org.charnwood.app.scheduling;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteResult;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.PlannedVisit;
import org.charnwood.scheduling.visits.Route;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a planned day as booked Appointments, one per visit, route by route in visiting order, in one transaction:
 * the whole day is published or none of it. Each names the patient and the staff member's PractitionerRole as
 * participants and the ServiceRequest it fulfils, says where it falls in the route, and carries the team-day
 * identifier ({@link #TEAM_DAY}: {@code careTeamId/date}) that ties it to the team's plan for that day.
 *
 * <p>Publishing again replaces the team's plan for the day instead of adding to it: within the transaction, under a
 * lock on the team and day, the Appointments already carrying the team-day identifier are matched to the new plan by
 * ServiceRequest. A visit already booked is updated in place (same Appointment id, new nurse and times); a visit
 * under way or done ({@code arrived}, {@code fulfilled}) is left as it is; a booked visit the new plan leaves out is
 * cancelled ("replanned"); only visits with no Appointment yet get a new one. So a ServiceRequest never has two live
 * Appointments for the day, however often the day is published.
 */
@Component
class PlannedAppointments {

    /** The identifier system tying an Appointment to a team's planned day; the value is {@code careTeamId/date}. */
    static final String TEAM_DAY = "https://charnwood.nhs.example/Id/team-day";

    /** HL7 v2 appointment reason: a routine home visit (v2-0276). */
    private static final Coding HOME_VISIT = new Coding("http://terminology.hl7.org/CodeSystem/v2-0276", "ROUTINE",
            "Routine appointment - default if not valued");

    private static final Set<Appointment.AppointmentStatus> UNDER_WAY_OR_DONE = Set.of(
            Appointment.AppointmentStatus.ARRIVED, Appointment.AppointmentStatus.CHECKEDIN,
            Appointment.AppointmentStatus.FULFILLED);

    private final FhirRepository repository;

    PlannedAppointments(FhirRepository repository) {
        this.repository = repository;
    }

    /** A visit as published: its Appointment, ServiceRequest, patient, nurse, times and status. */
    record PublishedVisit(String appointmentId, String serviceRequestId, String patientId, String staffId,
                          LocalTime start, LocalTime end, Appointment.AppointmentStatus status) {
    }

    /** The Appointment ids, in route order: the plan's visits that are now booked (or under way, or done). */
    List<String> write(String careTeamId, DayPlan plan) {
        String teamDay = teamDay(careTeamId, plan.date());
        return repository.inTransaction(session -> {
            lock(session, teamDay);
            Map<String, Appointment> existing = new LinkedHashMap<>();
            for (StoredResource stored : current(session, teamDay)) {
                Appointment appointment = stored.parse(Appointment.class);
                appointment.setId(stored.id());
                existing.put(serviceRequestOf(appointment), appointment);
            }
            List<String> ids = new ArrayList<>();
            Set<String> planned = new HashSet<>();
            for (Route route : plan.routes()) {
                int position = 1;
                for (PlannedVisit visit : route.visits()) {
                    planned.add(visit.visitId());
                    Appointment before = existing.get(visit.visitId());
                    if (before != null && UNDER_WAY_OR_DONE.contains(before.getStatus())) {
                        ids.add(before.getIdElement().getIdPart());
                    } else if (before != null) {
                        Appointment after = appointment(plan, teamDay, route, visit, position);
                        after.setId(before.getIdElement().getIdPart());
                        session.update("Appointment", before.getIdElement().getIdPart(), after, null);
                        ids.add(before.getIdElement().getIdPart());
                    } else {
                        WriteResult written = session.create(appointment(plan, teamDay, route, visit, position));
                        ids.add(written.id());
                    }
                    position++;
                }
            }
            for (Map.Entry<String, Appointment> left : existing.entrySet()) {
                Appointment appointment = left.getValue();
                if (!planned.contains(left.getKey()) && appointment.getStatus() == Appointment.AppointmentStatus.BOOKED) {
                    appointment.setStatus(Appointment.AppointmentStatus.CANCELLED);
                    appointment.setCancelationReason(new CodeableConcept().setText("Replanned: not in the team's "
                            + "published plan for the day"));
                    session.update("Appointment", appointment.getIdElement().getIdPart(), appointment, null);
                }
            }
            return ids;
        });
    }

    /** The team's published visits for the day, not cancelled, each route in visiting order. */
    List<PublishedVisit> published(String careTeamId, LocalDate date) {
        SearchRequest request = new SearchRequest("Appointment", Map.of(
                "identifier", List.of(TEAM_DAY + "|" + teamDay(careTeamId, date)), "_count", List.of("2000")), false);
        return repository.search(request).matches().stream()
                .filter(s -> !s.deleted())
                .map(s -> visit(s.id(), s.parse(Appointment.class)))
                .filter(v -> v.status() != Appointment.AppointmentStatus.CANCELLED)
                .sorted(Comparator.comparing(PublishedVisit::staffId).thenComparing(PublishedVisit::start))
                .toList();
    }

    static PublishedVisit visit(String id, Appointment appointment) {
        String patientId = null;
        String staffId = null;
        for (Appointment.AppointmentParticipantComponent participant : appointment.getParticipant()) {
            String reference = participant.getActor().getReference();
            if (reference == null) {
                continue;
            }
            if (reference.startsWith("Patient/")) {
                patientId = reference.substring("Patient/".length());
            } else if (reference.startsWith("PractitionerRole/")) {
                staffId = reference.substring("PractitionerRole/".length());
            }
        }
        return new PublishedVisit(id, serviceRequestOf(appointment), patientId, staffId,
                appointment.getStart().toInstant().atZone(TeamDayReader.LONDON).toLocalTime(),
                appointment.getEnd().toInstant().atZone(TeamDayReader.LONDON).toLocalTime(), appointment.getStatus());
    }

    static String teamDay(String careTeamId, LocalDate date) {
        return careTeamId + "/" + date;
    }

    /** Two publications of one team's day wait for each other, so neither misses the other's Appointments. */
    private static void lock(WriteSession session, String teamDay) throws SQLException {
        session.lock("team-day:" + teamDay);
    }

    private static List<StoredResource> current(WriteSession session, String teamDay) throws SQLException {
        SearchRequest request = new SearchRequest("Appointment", Map.of(
                "identifier", List.of(TEAM_DAY + "|" + teamDay), "_count", List.of("2000")), false);
        return session.load(session.search(request).matches()).stream().filter(s -> !s.deleted()).toList();
    }

    private static String serviceRequestOf(Appointment appointment) {
        return appointment.getBasedOnFirstRep().getReferenceElement().getIdPart();
    }

    private static Appointment appointment(DayPlan plan, String teamDay, Route route, PlannedVisit visit,
                                           int position) {
        Appointment appointment = new Appointment();
        appointment.addIdentifier(new Identifier().setSystem(TEAM_DAY).setValue(teamDay));
        appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
        appointment.setAppointmentType(new CodeableConcept(HOME_VISIT.copy()));
        appointment.setDescription("District nursing visit " + position + " of " + route.visits().size()
                + " on the route of PractitionerRole/" + route.staffId());
        appointment.setStart(Date.from(plan.date().atTime(visit.start()).atZone(TeamDayReader.LONDON).toInstant()));
        appointment.setEnd(Date.from(plan.date().atTime(visit.end()).atZone(TeamDayReader.LONDON).toInstant()));
        appointment.setMinutesDuration((int) Duration.between(visit.start(), visit.end()).toMinutes());
        appointment.addBasedOn(new Reference("ServiceRequest/" + visit.visitId()));
        appointment.addParticipant().setActor(new Reference("Patient/" + visit.patientId()))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        appointment.addParticipant().setActor(new Reference("PractitionerRole/" + route.staffId()))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        appointment.setComment("Travel from the previous stop: " + visit.travelFromPrevious().toMinutes()
                + " min; arrival " + visit.arrival());
        return appointment;
    }
}
