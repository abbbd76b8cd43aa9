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

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Charnwood district-nursing team's day read from the store, planned, and booked back as Appointments; published
 * again without double-booking; and replanned around an urgent visit with the visits done or under way kept.
 */
class DistrictNursingSchedulerIntegrationTests extends CharnwoodIntegrationTest {

    private static final String TEAM = "team-district-nursing-charnwood";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 26);
    private static final List<String> NEEDS = List.of("Wound dressing", "Leg ulcer wound care", "Insulin injection",
            "Catheter change", "Venepuncture for blood tests", "Syringe driver review", "Wound dressing",
            "Insulin injection", "Venepuncture for blood tests", "Wound dressing");
    private static final SolveLimits LIMITS = SolveLimits.moves(5_000, 5);
    private static final List<String> POSTCODES = List.of("LE11 3AB", "LE11 2XY", "LE12 9QR", "LE11 5TT",
            "LE12 7NB", "LE11 1AA", "LE7 2HJ", "LE11 4PL", "LE12 8EE", "LE11 3DF");

    @Autowired
    FhirRepository repository;

    @Autowired
    DistrictNursingScheduler scheduler;

    @Test
    void plansATeamsDayFromTheStoreAndBooksItAsAppointmentsInRouteOrder() {
        loadDay();

        VisitProblem problem = scheduler.problem(TEAM, DAY);
        assertThat(problem.staff()).hasSize(6);
        assertThat(problem.visits()).hasSize(NEEDS.size());

        DayPlan plan = scheduler.plan(TEAM, DAY, LIMITS);
        assertThat(plan.feasible()).as(plan.score().score()).isTrue();
        assertThat(plan.unassigned()).isEmpty();

        List<String> ids = scheduler.publish(TEAM, plan);
        assertThat(ids).hasSize(NEEDS.size());
        for (Route route : plan.routes()) {
            List<Appointment> booked = search(Map.of("actor", List.of("PractitionerRole/" + route.staffId()),
                    "_sort", List.of("date")));
            assertThat(booked).extracting(a -> a.getBasedOnFirstRep().getReferenceElement().getIdPart())
                    .containsExactlyElementsOf(route.visits().stream().map(v -> v.visitId()).toList());
            assertThat(booked).allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED));
        }
    }

    @Test
    void publishingTheDayAgainReplacesItsAppointmentsInsteadOfDoubleBooking() {
        loadDay();
        DayPlan first = scheduler.plan(TEAM, DAY, LIMITS);
        List<String> firstIds = scheduler.publish(TEAM, first);
        List<String> again = scheduler.publish(TEAM, first);
        assertThat(again).containsExactlyInAnyOrderElementsOf(firstIds);

        // The referral for visit-9 is withdrawn; the next plan leaves it out and publishing cancels its booking.
        repository.inTransaction(session -> {
            ServiceRequest withdrawn = session.current("ServiceRequest", "visit-9").orElseThrow()
                    .parse(ServiceRequest.class);
            withdrawn.setStatus(ServiceRequest.ServiceRequestStatus.REVOKED);
            return session.update("ServiceRequest", "visit-9", withdrawn, null);
        });
        DayPlan second = scheduler.plan(TEAM, DAY, LIMITS);
        List<String> secondIds = scheduler.publish(TEAM, second);
        assertThat(secondIds).hasSize(NEEDS.size() - 1).isSubsetOf(firstIds);

        List<Appointment> all = search(Map.of("identifier",
                List.of(PlannedAppointments.TEAM_DAY + "|" + TEAM + "/" + DAY)));
        assertThat(all).hasSize(NEEDS.size());
        assertThat(all).filteredOn(a -> a.getStatus() == Appointment.AppointmentStatus.BOOKED)
                .extracting(a -> a.getBasedOnFirstRep().getReferenceElement().getIdPart())
                .doesNotHaveDuplicates().hasSize(NEEDS.size() - 1).doesNotContain("visit-9");
        assertThat(all).filteredOn(a -> a.getStatus() == Appointment.AppointmentStatus.CANCELLED)
                .extracting(a -> a.getBasedOnFirstRep().getReferenceElement().getIdPart())
                .containsExactly("visit-9");
    }

    @Test
    void anUrgentVisitIsFittedInAroundVisitsDoneOrUnderWayAndPublishedWithoutDisturbingThem() {
        List<String> patients = loadDay();
        DayPlan published = scheduler.plan(TEAM, DAY, LIMITS);
        scheduler.publish(TEAM, published);
        Route busiest = published.routes().stream().max(java.util.Comparator.comparingInt(r -> r.visits().size()))
                .orElseThrow();
        assertThat(busiest.visits()).hasSizeGreaterThanOrEqualTo(2);
        String done = busiest.visits().get(0).visitId();
        String underWay = busiest.visits().get(1).visitId();
        setStatus(done, Appointment.AppointmentStatus.FULFILLED);
        setStatus(underWay, Appointment.AppointmentStatus.ARRIVED);

        String urgent = scheduler.requestUrgentVisit(TEAM, patients.get(0), "Blocked catheter: catheter change",
                "Practitioner/staff-001", DAY.atTime(11, 0).atZone(TeamDayReader.LONDON));
        VisitProblem problem = scheduler.problem(TEAM, DAY);
        assertThat(problem.visits()).hasSize(NEEDS.size() + 1);
        DayPlan replanned = scheduler.replan(problem, TEAM, null, LocalTime.of(11, 0), LIMITS);

        assertThat(replanned.routeOf(urgent)).as("the urgent visit is placed").isPresent();
        Route kept = replanned.routes().stream().filter(r -> r.staffId().equals(busiest.staffId())).findFirst()
                .orElseThrow();
        assertThat(kept.visits().subList(0, 2)).extracting(v -> v.visitId()).containsExactly(done, underWay);
        assertThat(kept.visits().subList(0, 2)).allSatisfy(v -> assertThat(v.pinned()).isTrue());
        assertThat(replanned.reassignedVisitIds()).doesNotContain(done, underWay);

        scheduler.publish(TEAM, replanned);
        List<Appointment> all = search(Map.of("identifier",
                List.of(PlannedAppointments.TEAM_DAY + "|" + TEAM + "/" + DAY)));
        assertThat(all).filteredOn(a -> a.getStatus() != Appointment.AppointmentStatus.CANCELLED)
                .extracting(a -> a.getBasedOnFirstRep().getReferenceElement().getIdPart())
                .doesNotHaveDuplicates().hasSize(NEEDS.size() + 1).contains(urgent);
        assertThat(all).filteredOn(a -> a.getBasedOnFirstRep().getReferenceElement().getIdPart().equals(done))
                .singleElement().extracting(Appointment::getStatus).isEqualTo(Appointment.AppointmentStatus.FULFILLED);
        Appointment urgentBooking = all.stream()
                .filter(a -> a.getBasedOnFirstRep().getReferenceElement().getIdPart().equals(urgent)).findFirst()
                .orElseThrow();
        assertThat(urgentBooking.getStart().toInstant())
                .isBetween(DAY.atTime(11, 0).atZone(TeamDayReader.LONDON).toInstant(),
                        DAY.atTime(13, 0).atZone(TeamDayReader.LONDON).toInstant());
    }

    /** The demo trust, and ten patients with a visit each for the Charnwood team on the day; the patient ids. */
    private List<String> loadDay() {
        new BundleProcessor(repository).process(BundleWriter.forStandardTrust().trustBundle(),
                ReturnPreference.MINIMAL);
        return repository.inTransaction(session -> {
            List<String> patients = new java.util.ArrayList<>();
            for (int i = 0; i < NEEDS.size(); i++) {
                Patient patient = new Patient();
                patient.addName(new HumanName().setFamily("Visit" + i).addGiven("Test"));
                patient.addAddress(new Address().addLine((i + 1) + " Forest Road").setCity("LOUGHBOROUGH")
                        .setPostalCode(POSTCODES.get(i)));
                String patientId = session.create(patient).id();
                patients.add(patientId);
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
            return patients;
        });
    }

    private void setStatus(String serviceRequestId, Appointment.AppointmentStatus status) {
        Appointment appointment = search(Map.of("based-on", List.of("ServiceRequest/" + serviceRequestId)))
                .getFirst();
        appointment.setStatus(status);
        repository.inTransaction(session -> session.update("Appointment", appointment.getIdElement().getIdPart(),
                appointment, null));
    }

    private List<Appointment> search(Map<String, List<String>> parameters) {
        List<StoredResource> matches = repository.search(new SearchRequest("Appointment", parameters, false))
                .matches();
        return matches.stream()
                .map(s -> {
                    Appointment appointment = (Appointment) FhirContexts.r4().newJsonParser().parseResource(s.json());
                    appointment.setId(s.id());
                    return appointment;
                })
                .toList();
    }

    private static Date at(LocalTime time) {
        return Date.from(DAY.atTime(time).atZone(TeamDayReader.LONDON).toInstant());
    }
}
