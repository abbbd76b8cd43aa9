package org.charnwood.app.security;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.charnwood.app.repository.ResourceChangeNoticed;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.CLINICIAN;

/**
 * A relationship holds while what makes it is in force in the world, not only in its status: a booking left as
 * booked long after the visit, an episode or care team whose period has ended, a member who has left the team, a
 * role that has ended or been made inactive and a practitioner no longer active open nothing. Access follows the
 * current version of what makes it: an episode moved to another patient's record takes the relationship with it.
 */
class RelationshipsInForceIntegrationTests extends CharnwoodIntegrationTest {

    /** Works through doc-role in team-a, which holds p1's active episode (AccessFixture). */
    private static final Caller DOC = Caller.staff("Practitioner/doc", CLINICIAN);
    /** No relationship with anyone until a test makes one. */
    private static final Caller OTHER = Caller.staff("Practitioner/other", CLINICIAN);

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    @Autowired
    ConfigurableApplicationContext context;

    @BeforeEach
    void loadTrust() {
        AccessFixture.load(repository, relationships);
    }

    private int read(Caller caller, String path) {
        FhirHttp.Response r = http.as(tokens.bearer(caller)).get(path);
        return r.status();
    }

    private void put(Resource... resources) {
        AccessFixture.put(repository, relationships, List.of(resources));
    }

    /**
     * Stores the resources and waits until the change is noticed (which forgets every remembered answer), so that
     * what a test reads next is remembered from then on and only the passing of time can change it.
     */
    private void putAndSettle(Resource... resources) {
        Resource last = resources[resources.length - 1];
        java.util.concurrent.atomic.AtomicBoolean noticed = new java.util.concurrent.atomic.AtomicBoolean();
        org.springframework.context.ApplicationListener<?> listener =
                org.springframework.context.ApplicationListener.<ResourceChangeNoticed>forPayload(n -> {
                    if (n.change().resourceType().equals(last.fhirType())
                            && n.change().resourceId().equals(last.getIdElement().getIdPart())) {
                        noticed.set(true);
                    }
                });
        context.addApplicationListener(listener);
        try {
            AccessFixture.put(repository, relationships, List.of(resources));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(noticed);
        } finally {
            context.removeApplicationListener(listener);
        }
    }

    /** A moment a few seconds ahead, to the second, as staff systems write a period's end. */
    private static Instant secondsAhead(int seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    }

    private static DateTimeType toTheSecond(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.SECOND);
    }

    /** Moves the application's clock to just after {@code moment}: what ended then has just ended. */
    private void movePast(Instant moment) {
        clock.advance(Duration.between(clock.instant(), moment.plusMillis(100)));
    }

    private static Appointment bookedAt(Instant start) {
        Appointment a = AccessFixture.appointment("p2-booked", "p2", "Practitioner/other",
                Appointment.AppointmentStatus.BOOKED);
        a.setStart(Date.from(start));
        a.setEnd(Date.from(start.plus(Duration.ofMinutes(30))));
        return a;
    }

    @Test
    void aBookingGivesARelationshipOnlyAroundItsTime() {
        Instant now = clock.instant();
        // Left as booked two months after the visit: nobody marked it fulfilled, and it opens nothing now.
        put(bookedAt(now.minus(Duration.ofDays(60))));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
        // Booked months ahead: not yet.
        put(bookedAt(now.plus(Duration.ofDays(90))));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
        // Next week, to prepare; and two days ago, to write it up.
        put(bookedAt(now.plus(Duration.ofDays(7))));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);
        put(bookedAt(now.minus(Duration.ofDays(2))));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);
    }

    @Test
    void aReferralToAServiceThatHasClosedNoLongerRelatesTheServicesStaff() {
        org.hl7.fhir.r4.model.HealthcareService service = new org.hl7.fhir.r4.model.HealthcareService();
        service.setId("hs-memory");
        service.setActive(true);
        service.setName("Memory assessment service");
        org.hl7.fhir.r4.model.PractitionerRole role = AccessFixture.role("other-memory-role", "other");
        role.addHealthcareService(new org.hl7.fhir.r4.model.Reference("HealthcareService/hs-memory"));
        org.hl7.fhir.r4.model.ServiceRequest referral = new org.hl7.fhir.r4.model.ServiceRequest();
        referral.setId("p2-memory-referral");
        referral.setStatus(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent.ORDER);
        referral.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/p2"));
        referral.addPerformer(new org.hl7.fhir.r4.model.Reference("HealthcareService/hs-memory"));
        put(service, role, referral);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);

        // The service closes; the referral left on its list opens nothing to its former staff.
        service.setActive(false);
        put(service);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
    }

    @Test
    void aVisitMarkedFulfilledStillOpensTheRecordToWriteItUpButACancelledOneDoesNot() {
        Instant now = Instant.now();
        Appointment visit = bookedAt(now.minus(Duration.ofDays(2)));
        visit.setStatus(Appointment.AppointmentStatus.FULFILLED);
        put(visit);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);
        visit.setStatus(Appointment.AppointmentStatus.CANCELLED);
        put(visit);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
        visit.setStatus(Appointment.AppointmentStatus.NOSHOW);
        put(visit);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
        // Fulfilled two months ago: the window for writing it up has closed.
        Appointment old = bookedAt(now.minus(Duration.ofDays(60)));
        old.setStatus(Appointment.AppointmentStatus.FULFILLED);
        put(old);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
    }

    @Test
    void anAppointmentWithTwoPatientsRelatesItsClinicianToBoth() {
        Appointment joint = bookedAt(clock.instant().plus(Duration.ofDays(1)));
        joint.addParticipant().setActor(new Reference("Patient/p1"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        put(joint);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);
        assertThat(read(OTHER, "/fhir/Observation/p1-obs")).isEqualTo(200);
    }

    @Test
    void anActiveEpisodeWhosePeriodHasEndedGivesNoRelationship() {
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
        EpisodeOfCare episode = AccessFixture.episode("ep-1", "p1", "CareTeam/team-a", null);
        episode.setPeriod(new Period().setStartElement(new DateTimeType("2024-01-08"))
                .setEndElement(new DateTimeType(today().minusDays(3).toString())));
        put(episode);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
        // Ending today still counts until the day is over.
        episode.setPeriod(new Period().setStartElement(new DateTimeType("2024-01-08"))
                .setEndElement(new DateTimeType(today().plusDays(1).toString())));
        put(episode);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
    }

    @Test
    void aTeamWhosePeriodHasEndedHoldsNoCaseload() {
        CareTeam team = AccessFixture.team("team-a", "PractitionerRole/doc-role");
        team.setPeriod(new Period().setStartElement(new DateTimeType("2023-04-01"))
                .setEndElement(new DateTimeType("2025-03-31")));
        put(team);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
    }

    @Test
    void aMemberWhoHasLeftTheTeamNoLongerHoldsItsCaseload() {
        CareTeam team = AccessFixture.team("team-a");
        team.addParticipant().setMember(new Reference("PractitionerRole/doc-role"))
                .setPeriod(new Period().setStartElement(new DateTimeType("2023-04-01"))
                        .setEndElement(new DateTimeType(Date.from(clock.instant().minus(Duration.ofHours(2))),
                                ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND)));
        put(team);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
        // Still a member until the end of the month they leave at.
        team.getParticipantFirstRep().getPeriod().setEndElement(
                new DateTimeType(today().plusMonths(1).toString().substring(0, 7)));
        put(team);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
        // Joining next month: not yet a member.
        team.getParticipantFirstRep().setPeriod(new Period().setStartElement(
                new DateTimeType(today().plusMonths(1).withDayOfMonth(1).toString())));
        put(team);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
    }

    @Test
    void someoneWhoHasLeftAPatientsCareTeamNoLongerHoldsARelationship() {
        CareTeam around = new CareTeam();
        around.setId("p2-team");
        around.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        around.setSubject(new Reference("Patient/p2"));
        around.addParticipant().setMember(new Reference("Practitioner/other"));
        put(around);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);
        around.getParticipantFirstRep().setPeriod(new Period().setEndElement(
                new DateTimeType(today().minusDays(1).toString())));
        put(around);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
        // Ended as a whole, whoever is still listed.
        around.getParticipantFirstRep().setPeriod(null);
        around.setPeriod(new Period().setEndElement(new DateTimeType(today().minusDays(1).toString())));
        put(around);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
    }

    @Test
    void aRoleMadeInactiveOrEndedHoldsNothing() {
        PractitionerRole role = AccessFixture.role("doc-role", "doc");
        role.setActive(false);
        put(role);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);

        role.setActive(true);
        role.setPeriod(new Period().setStartElement(new DateTimeType("2022-09-01"))
                .setEndElement(new DateTimeType(today().minusDays(1).toString())));
        put(role);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);

        role.setPeriod(new Period().setStartElement(new DateTimeType("2022-09-01")));
        put(role);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
    }

    @Test
    void aPractitionerNoLongerActiveHoldsNothing() {
        Practitioner doc = AccessFixture.practitioner("doc");
        doc.setActive(false);
        // Their own care manager episode, beside the team's: neither counts.
        put(doc, AccessFixture.episode("ep-2", "p2", null, "Practitioner/doc"));
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(404);

        doc.setActive(true);
        put(doc);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(200);
    }

    @Test
    void anEpisodeMovedToAnotherPatientsRecordTakesTheRelationshipWithIt() {
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(404);
        put(AccessFixture.episode("ep-1", "p2", "CareTeam/team-a", null));
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(200);
    }

    @Test
    void aCareManagerNamedByTheirRoleHoldsTheEpisodesRelationship() {
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(404);
        // R4's care-manager search parameter indexes Practitioners only; the role is how doc works here.
        put(AccessFixture.episode("ep-2", "p2", null, "PractitionerRole/doc-role"));
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(200);
        // Not once the role has ended.
        PractitionerRole role = AccessFixture.role("doc-role", "doc");
        role.setPeriod(new Period().setEndElement(new DateTimeType(today().minusDays(1).toString())));
        put(role);
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(404);
    }

    // --- ending on time: a remembered answer lasts no longer than what it was worked out from ---------------------

    @Test
    void aMembershipEndingWithinTheMinuteEndsTheRelationshipWhenItEnds() {
        tokens.bearer(DOC);
        Instant ends = secondsAhead(5);
        CareTeam team = AccessFixture.team("team-a");
        team.addParticipant().setMember(new Reference("PractitionerRole/doc-role"))
                .setPeriod(new Period().setStartElement(new DateTimeType("2023-04-01")).setEndElement(toTheSecond(ends)));
        putAndSettle(team);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
        // The membership's last second has just passed: the answer remembered a moment ago no longer holds.
        movePast(ends.plusSeconds(1));
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
    }

    @Test
    void anEpisodeOrPatientsCareTeamEndingWithinTheMinuteEndsTheRelationshipWhenItEnds() {
        tokens.bearer(DOC);
        Instant ends = secondsAhead(5);
        EpisodeOfCare episode = AccessFixture.episode("ep-1", "p1", "CareTeam/team-a", null);
        episode.setPeriod(new Period().setStartElement(new DateTimeType("2024-01-08"))
                .setEndElement(toTheSecond(ends)));
        CareTeam around = new CareTeam();
        around.setId("p2-team");
        around.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        around.setSubject(new Reference("Patient/p2"));
        around.addParticipant().setMember(new Reference("Practitioner/doc"))
                .setPeriod(new Period().setEndElement(toTheSecond(ends)));
        putAndSettle(episode, around);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(200);
        movePast(ends.plusSeconds(1));
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(404);
    }

    @Test
    void aRoleEndingWithinTheMinuteEndsItsTeamsRelationshipsWhenItEnds() {
        tokens.bearer(DOC);
        Instant ends = secondsAhead(5);
        PractitionerRole role = AccessFixture.role("doc-role", "doc");
        role.setPeriod(new Period().setStartElement(new DateTimeType("2022-09-01")).setEndElement(toTheSecond(ends)));
        putAndSettle(role);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
        movePast(ends.plusSeconds(1));
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
    }

    @Test
    void aBookingsWindowClosingWithinTheMinuteEndsTheRelationshipWhenItCloses() {
        tokens.bearer(OTHER);
        // Started fourteen days ago less five seconds: its write-up window closes five seconds from now.
        Instant start = Instant.now().minus(Duration.ofDays(14)).plusSeconds(5);
        putAndSettle(bookedAt(start));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);
        movePast(start.plus(Duration.ofDays(14)));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
    }

    @Test
    void aRelationshipStartingWithinTheMinuteOpensTheRecordWhenItStarts() {
        tokens.bearer(DOC);
        tokens.bearer(OTHER);
        // A booking whose window opens in five seconds, and a role (with its team's caseload) starting then.
        Instant starts = secondsAhead(5);
        PractitionerRole role = AccessFixture.role("doc-role", "doc");
        role.setPeriod(new Period().setStartElement(toTheSecond(starts)));
        putAndSettle(bookedAt(starts.plus(Duration.ofDays(14))), role);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(404);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(404);
        movePast(starts);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);
        assertThat(read(DOC, "/fhir/Observation/p1-obs")).isEqualTo(200);
    }

    // --- who takes part in an appointment ----------------------------------------------------------------------

    private Appointment bookedWith(Appointment.ParticipationStatus staffStatus,
                                   Appointment.ParticipantRequired staffRequired,
                                   Appointment.ParticipationStatus patientStatus,
                                   Appointment.ParticipantRequired patientRequired) {
        Appointment a = bookedAt(Instant.now().plus(Duration.ofDays(1)));
        a.getParticipant().get(0).setStatus(patientStatus).setRequired(patientRequired);
        a.getParticipant().get(1).setStatus(staffStatus).setRequired(staffRequired);
        return a;
    }

    @Test
    void aParticipantWhoDeclinedOrIsThereForInformationOnlyIsNotTakingPart() {
        var accepted = Appointment.ParticipationStatus.ACCEPTED;
        var declined = Appointment.ParticipationStatus.DECLINED;
        var required = Appointment.ParticipantRequired.REQUIRED;
        var informationOnly = Appointment.ParticipantRequired.INFORMATIONONLY;

        put(bookedWith(declined, required, accepted, required));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).as("the clinician declined").isEqualTo(404);
        put(bookedWith(accepted, informationOnly, accepted, required));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).as("the clinician is told, not taking part")
                .isEqualTo(404);
        put(bookedWith(accepted, required, declined, required));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).as("the patient declined").isEqualTo(404);

        // Still invited, not yet answered: they prepare for it.
        put(bookedWith(Appointment.ParticipationStatus.TENTATIVE, required,
                Appointment.ParticipationStatus.NEEDSACTION, required));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).as("tentative").isEqualTo(200);
        // An appointment about the patient, not for them (clinicians discussing their results).
        put(bookedWith(accepted, required, accepted, informationOnly));
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).as("about the patient").isEqualTo(200);
    }

    @Test
    void aRoleThatDeclinedAnAppointmentHoldsNothingThroughItWhileOthersStillDo() {
        Appointment a = AccessFixture.appointment("p2-booked", "p2", "PractitionerRole/doc-role",
                Appointment.AppointmentStatus.BOOKED);
        a.getParticipant().get(1).setStatus(Appointment.ParticipationStatus.DECLINED);
        // Another clinician is still booked: one participant's decline leaves the others'.
        a.addParticipant().setActor(new Reference("Practitioner/other"))
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        put(a);
        assertThat(read(DOC, "/fhir/Observation/p2-obs")).isEqualTo(404);
        assertThat(read(OTHER, "/fhir/Observation/p2-obs")).isEqualTo(200);
    }
}
