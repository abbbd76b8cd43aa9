package org.charnwood.app.scheduling;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.demo.BundleWriter;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.bundle.BundleProcessor;
import org.charnwood.fhir.bundle.ReturnPreference;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.Route;
import org.charnwood.scheduling.visits.SolveLimits;
import org.charnwood.scheduling.visits.VisitProblem;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Charnwood district-nursing team's day read from the store, planned, and booked back as Appointments. */
class DistrictNursingSchedulerIntegrationTests extends CharnwoodIntegrationTest {

    private static final String TEAM = "team-district-nursing-charnwood";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 26);
    private static final List<String> NEEDS = List.of("Wound dressing", "Leg ulcer wound care", "Insulin injection",
            "Catheter change", "Venepuncture for blood tests", "Syringe driver review", "Wound dressing",
            "Insulin injection", "Venepuncture for blood tests", "Wound dressing");
    private static final List<String> POSTCODES = List.of("LE11 3AB", "LE11 2XY", "LE12 9QR", "LE11 5TT",
            "LE12 7NB", "LE11 1AA", "LE7 2HJ", "LE11 4PL", "LE12 8EE", "LE11 3DF");

    @Autowired
    FhirRepository repository;

    @Autowired
    DistrictNursingScheduler scheduler;

    @Test
    void plansATeamsDayFromTheStoreAndBooksItAsAppointmentsInRouteOrder() {
        new BundleProcessor(repository).process(BundleWriter.forStandardTrust().trustBundle(),
                ReturnPreference.MINIMAL);
        repository.inTransaction(session -> {
            for (int i = 0; i < NEEDS.size(); i++) {
                Patient patient = new Patient();
                patient.addName(new HumanName().setFamily("Visit" + i).addGiven("Test"));
                patient.addAddress(new Address().addLine((i + 1) + " Forest Road").setCity("LOUGHBOROUGH")
                        .setPostalCode(POSTCODES.get(i)));
                String patientId = session.create(patient).id();
                ServiceRequest request = new ServiceRequest();
                request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
                request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
                request.setCode(new CodeableConcept().setText(NEEDS.get(i)));
                request.setSubject(new Reference("Patient/" + patientId));
                request.addPerformer(new Reference("CareTeam/" + TEAM));
                request.setPriority(i == 3 ? ServiceRequest.ServiceRequestPriority.STAT
                        : ServiceRequest.ServiceRequestPriority.ROUTINE);
                request.setOccurrence(new Period().setStart(at(LocalTime.of(9, 0))).setEnd(at(LocalTime.of(15, 0))));
                session.create(request, "visit-" + i);
            }
            return null;
        });

        VisitProblem problem = scheduler.problem(TEAM, DAY);
        assertThat(problem.staff()).hasSize(6);
        assertThat(problem.visits()).hasSize(NEEDS.size());

        DayPlan plan = scheduler.plan(TEAM, DAY, new SolveLimits(Duration.ofSeconds(2), Duration.ofMillis(500), 5));
        assertThat(plan.feasible()).as(plan.score().score()).isTrue();
        assertThat(plan.unassigned()).isEmpty();

        List<String> ids = scheduler.publish(plan);
        assertThat(ids).hasSize(NEEDS.size());
        for (Route route : plan.routes()) {
            List<Appointment> booked = search(Map.of("actor", List.of("PractitionerRole/" + route.staffId()),
                    "_sort", List.of("date")));
            assertThat(booked).extracting(a -> a.getBasedOnFirstRep().getReferenceElement().getIdPart())
                    .containsExactlyElementsOf(route.visits().stream().map(v -> v.visitId()).toList());
            assertThat(booked).allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED));
        }
    }

    private List<Appointment> search(Map<String, List<String>> parameters) {
        List<StoredResource> matches = repository.search(new SearchRequest("Appointment", parameters, false))
                .matches();
        return matches.stream()
                .map(s -> (Appointment) FhirContexts.r4().newJsonParser().parseResource(s.json()))
                .toList();
    }

    private static Date at(LocalTime time) {
        return Date.from(DAY.atTime(time).atZone(TeamDayReader.LONDON).toInstant());
    }
}
