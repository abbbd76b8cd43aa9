package org.charnwood.app.security;

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

import java.time.Duration;
import java.time.Instant;
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
}
