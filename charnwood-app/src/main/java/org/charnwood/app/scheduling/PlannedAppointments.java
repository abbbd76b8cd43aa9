package org.charnwood.app.scheduling;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.WriteResult;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.PlannedVisit;
import org.charnwood.scheduling.visits.Route;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Writes a planned day as booked Appointments, one per visit, route by route in visiting order, in one transaction:
 * the whole day is published or none of it. Each names the patient and the staff member's PractitionerRole as
 * participants and the ServiceRequest it fulfils, and says where it falls in the route.
 */
@Component
class PlannedAppointments {

    /** HL7 v2 appointment reason: a routine home visit (v2-0276). */
    private static final Coding HOME_VISIT = new Coding("http://terminology.hl7.org/CodeSystem/v2-0276", "ROUTINE",
            "Routine appointment - default if not valued");

    private final FhirRepository repository;

    PlannedAppointments(FhirRepository repository) {
        this.repository = repository;
    }

    /** The Appointment ids, in route order. */
    List<String> write(DayPlan plan) {
        return repository.inTransaction(session -> {
            List<String> ids = new ArrayList<>();
            for (Route route : plan.routes()) {
                int position = 1;
                for (PlannedVisit visit : route.visits()) {
                    WriteResult written = session.create(appointment(plan, route, visit, position++));
                    ids.add(written.id());
                }
            }
            return ids;
        });
    }

    private static Appointment appointment(DayPlan plan, Route route, PlannedVisit visit, int position) {
        Appointment appointment = new Appointment();
        appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
        appointment.setAppointmentType(new CodeableConcept(HOME_VISIT.copy()));
        appointment.setDescription("District nursing visit " + position + " of " + route.visits().size()
                + " on the route of PractitionerRole/" + route.staffId());
        appointment.setStart(Date.from(plan.date().atTime(visit.start()).atZone(TeamDayReader.LONDON).toInstant()));
        appointment.setEnd(Date.from(plan.date().atTime(visit.end()).atZone(TeamDayReader.LONDON).toInstant()));
        appointment.setMinutesDuration((int) java.time.Duration.between(visit.start(), visit.end()).toMinutes());
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
