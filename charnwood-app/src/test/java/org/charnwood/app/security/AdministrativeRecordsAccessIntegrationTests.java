package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.ADMIN_BOOKING;
import static org.charnwood.app.security.AccessRole.CLINICIAN;
import static org.charnwood.app.security.AccessRole.HEALTH_CARE_ASSISTANT;

/**
 * A patient's referrals, episodes, appointments and flags say which services they are in touch with (a referral to
 * the crisis team, a sexual health clinic), so without a relationship staff see only who the patient is: the
 * administrative records join the record behind the relationship, in reads, searches, totals and includes alike.
 * Booking and referring stay open for any patient staff may find, and what a team holds stays open to its members.
 */
class AdministrativeRecordsAccessIntegrationTests extends CharnwoodIntegrationTest {

    /** A health care assistant in team-a, whose caseload is p1; p2 is another team's patient. */
    private static final Caller HCA = Caller.staff("Practitioner/doc", HEALTH_CARE_ASSISTANT);
    /** A booking clerk in team-a. */
    private static final Caller CLERK = Caller.staff("Practitioner/clerk", ADMIN_BOOKING);
    private static final Caller CLINICIAN_DOC = Caller.staff("Practitioner/doc", CLINICIAN);

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void loadTrust() {
        AccessFixture.load(repository, relationships);
        ServiceRequest crisis = new ServiceRequest();
        crisis.setId("p2-crisis");
        crisis.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        crisis.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        crisis.setCode(new CodeableConcept().setText("Referral to Crisis Resolution and Home Treatment"));
        crisis.setSubject(new Reference("Patient/p2"));
        crisis.addPerformer(new Reference("CareTeam/team-b"));
        Flag warning = new Flag();
        warning.setId("p2-flag");
        warning.setStatus(Flag.FlagStatus.ACTIVE);
        warning.setCode(new CodeableConcept().setText("Known to the crisis team"));
        warning.setSubject(new Reference("Patient/p2"));
        // The clerk books for the team's service: an appointment with it is the service's relationship.
        PractitionerRole clerkRole = AccessFixture.role("clerk-role", "clerk");
        clerkRole.addHealthcareService(new Reference("HealthcareService/hs-a"));
        AccessFixture.put(repository, relationships, List.of(
                service("hs-a"), service("hs-b"),
                AccessFixture.practitioner("clerk"), clerkRole,
                AccessFixture.team("team-a", "PractitionerRole/doc-role", "PractitionerRole/clerk-role"),
                AccessFixture.team("team-b", "Practitioner/other"),
                AccessFixture.episode("p2-episode", "p2", "CareTeam/team-b", null),
                AccessFixture.appointment("p2-clinic", "p2", "HealthcareService/hs-b",
                        Appointment.AppointmentStatus.BOOKED),
                AccessFixture.appointment("p1-visit", "p1", "HealthcareService/hs-a",
                        Appointment.AppointmentStatus.BOOKED),
                crisis, warning));
    }

    private static HealthcareService service(String id) {
        HealthcareService service = new HealthcareService();
        service.setId(id);
        service.setActive(true);
        service.setName(id);
        return service;
    }

    private FhirHttp as(Caller caller) {
        return http.as(tokens.bearer(caller));
    }

    private static List<String> ids(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> e.getResource().fhirType() + "/"
                + e.getResource().getIdElement().getIdPart()).toList();
    }

    private Bundle search(Caller caller, String path) {
        Response r = as(caller).get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.bundle();
    }

    @Test
    void withoutARelationshipStaffSeeWhoThePatientIsButNotTheirReferralsEpisodesAppointmentsOrFlags() {
        assertThat(as(HCA).get("/fhir/Patient/p2").status()).isEqualTo(200);
        assertThat(ids(search(HCA, "/fhir/Patient?family=Baker"))).containsExactly("Patient/p2");

        for (String hidden : List.of("ServiceRequest/p2-crisis", "EpisodeOfCare/p2-episode",
                "Appointment/p2-clinic", "Appointment/p2-appt", "Flag/p2-flag")) {
            assertThat(as(HCA).get("/fhir/" + hidden).status()).as(hidden).isEqualTo(404);
        }
        for (String query : List.of("ServiceRequest?code:text=Crisis", "ServiceRequest?subject=Patient/p2",
                "EpisodeOfCare?patient=Patient/p2", "Appointment?patient=Patient/p2", "Flag?patient=Patient/p2")) {
            Bundle page = search(HCA, "/fhir/" + query + "&_total=accurate");
            assertThat(page.getEntry()).as(query).isEmpty();
            assertThat(page.getTotal()).as(query).isZero();
            assertThat(search(HCA, "/fhir/" + query + "&_summary=count").getTotal()).as(query).isZero();
        }
        // Includes, reverse includes, _has and searches across types leak none of them either.
        assertThat(ids(search(HCA, "/fhir/Patient?_id=p2&_revinclude=ServiceRequest:subject"
                + "&_revinclude=EpisodeOfCare:patient&_revinclude=Appointment:patient&_revinclude=Flag:patient")))
                .containsExactly("Patient/p2");
        assertThat(search(HCA, "/fhir/Patient?_has:ServiceRequest:subject:code:text=Crisis&_total=accurate")
                .getTotal()).isZero();
        Bundle across = search(HCA, "/fhir?_type=ServiceRequest,EpisodeOfCare,Appointment,Flag&_total=accurate");
        assertThat(ids(across)).containsExactlyInAnyOrder("EpisodeOfCare/ep-1", "Appointment/p1-visit");
        assertThat(across.getTotal()).isEqualTo(2);
        assertThat(FhirContexts.r4().newJsonParser().encodeResourceToString(across)).doesNotContain("Crisis");
    }

    @Test
    void withinTheRelationshipTheTeamsAdministrativeRecordsAndWhatBelongsToNoPatientStayOpen() {
        assertThat(as(HCA).get("/fhir/EpisodeOfCare/ep-1").status()).isEqualTo(200);
        assertThat(ids(search(CLERK, "/fhir/Appointment?patient=Patient/p1"))).containsExactly("Appointment/p1-visit");
        assertThat(as(CLERK).get("/fhir/EpisodeOfCare/ep-1").status()).isEqualTo(200);
        // Teams without a subject are no patient's: anyone who may see demographics finds them.
        assertThat(as(CLERK).get("/fhir/CareTeam/team-b").status()).isEqualTo(200);
        assertThat(as(CLERK).get("/fhir/ServiceRequest/p2-crisis").status()).isEqualTo(404);
    }

    @Test
    void aBookingClerkStillBooksForTheirTeamAndBookingAPatientIntoTheTeamMakesTheRelationship() {
        Response own = as(CLERK).postJson("/fhir/Appointment", AccessFixture.appointment(null, "p1",
                "HealthcareService/hs-a", Appointment.AppointmentStatus.BOOKED));
        assertThat(own.status()).as(own.body()).isEqualTo(201);

        // Another team's booking is not theirs to change, nor to know of: hidden from them, it is answered as unknown...
        Appointment theirs = AccessFixture.appointment("p2-clinic", "p2", "HealthcareService/hs-b",
                Appointment.AppointmentStatus.CANCELLED);
        assertThat(as(CLERK).putJson("/fhir/Appointment/p2-clinic", theirs).status()).isEqualTo(404);
        // ...but a patient new to the service, found by demographics, is booked into it.
        Response booked = as(CLERK).postJson("/fhir/Appointment", AccessFixture.appointment(null, "p2",
                "HealthcareService/hs-a", Appointment.AppointmentStatus.BOOKED));
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        String id = booked.resource(Appointment.class).getIdElement().getIdPart();
        relationships.forgetAll();
        assertThat(as(CLERK).get("/fhir/Appointment/" + id).status()).isEqualTo(200);
        assertThat(ids(search(CLERK, "/fhir/Appointment?patient=Patient/p2"))).contains("Appointment/" + id);
    }

    @Test
    void aClinicianRefersAPatientTheyMayFindToAnotherService() {
        ServiceRequest referral = new ServiceRequest();
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.setCode(new CodeableConcept().setText("Referral to podiatry"));
        referral.setSubject(new Reference("Patient/p2"));
        referral.addPerformer(new Reference("CareTeam/team-b"));
        referral.setRequester(new Reference("Practitioner/doc"));
        Response sent = as(CLINICIAN_DOC).postJson("/fhir/ServiceRequest", referral);
        assertThat(sent.status()).as(sent.body()).isEqualTo(201);
        // They follow the referral they sent, and only that: the patient's other referrals stay with their teams.
        String id = sent.resource(ServiceRequest.class).getIdElement().getIdPart();
        assertThat(as(CLINICIAN_DOC).get("/fhir/ServiceRequest/" + id).status()).isEqualTo(200);
        assertThat(ids(search(CLINICIAN_DOC, "/fhir/ServiceRequest?subject=Patient/p2")))
                .containsExactly("ServiceRequest/" + id);
    }
}
