package org.charnwood.app.security;

import org.charnwood.app.repository.OutboxRelay;
import org.charnwood.app.repository.ResourceChangeNoticed;
import org.charnwood.app.security.policy.AccessSettings;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.SecondNode;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes of the application on one database, as behind a load balancer: what is changed or minted at one holds
 * at the other straight away. The second node's outbox relay is stopped, so the first relays every change and the
 * second hears of them through the broadcast only, as a node does of every change another node happens to relay.
 */
class SecondNodeIntegrationTests extends CharnwoodIntegrationTest {

    private static final TestTokens.Caller DOCTOR = TestTokens.Caller.staff("Practitioner/doc", AccessRole.CLINICIAN);
    private static final TestTokens.Caller OTHER = TestTokens.Caller.staff("Practitioner/other", AccessRole.CLINICIAN);

    private static SecondNode second;

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    private final List<ResourceChangeNoticed> heardAtSecond = new CopyOnWriteArrayList<>();
    private ApplicationListener<?> hearing;

    @BeforeEach
    void startSecondNode() {
        if (second == null) {
            second = SecondNode.beside(context);
            second.bean(OutboxRelay.class).stop();
        }
        hearing = ApplicationListener.<ResourceChangeNoticed>forPayload(heardAtSecond::add);
        second.context().addApplicationListener(hearing);
        AccessFixture.load(repository, relationships);
    }

    @AfterEach
    void stopHearing() {
        second.context().removeApplicationListener(hearing);
    }

    @AfterAll
    static void stopSecondNode() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    /**
     * How long the other node may take to act on a change: a quarter of the time it remembers a relationship answer,
     * so an answer that changed within it was changed by the change's notice, not by the remembered one running out.
     * On an idle machine it takes well under a second; the rest is for a machine busy with the rest of the build.
     */
    private static Duration noticed() {
        return second.bean(AccessSettings.class).relationshipCache().dividedBy(4);
    }

    @Test
    void aRelationshipEndedAtOneNodeIsRefusedAtTheOtherLongBeforeItsRememberedAnswerRunsOut() {
        FhirHttp doctorAtSecond = new FhirHttp(second.port(), tokens.bearer(DOCTOR));
        // Once the fixture's changes have reached the second node, it remembers the doctor's relationships.
        await().atMost(Duration.ofSeconds(10)).until(() -> doctorAtSecond.get("/fhir/Observation/p1-obs").status() == 200);
        EpisodeOfCare finished = AccessFixture.episode("ep-1", "p1", "CareTeam/team-a", null);
        finished.setStatus(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);

        assertThat(http.putJson("/fhir/EpisodeOfCare/ep-1", finished).status()).isEqualTo(200);

        await().atMost(noticed()).pollInterval(Duration.ofMillis(100))
                .until(() -> doctorAtSecond.get("/fhir/Observation/p1-obs").status() == 404);
        assertThat(heardAtSecond).anyMatch(n -> !n.relayedHere() && n.change().resourceId().equals("ep-1"));
    }

    @Test
    void aRelationshipBegunAtOneNodeIsHonouredAtTheOtherLongBeforeItsRememberedAnswerRunsOut() {
        FhirHttp otherAtSecond = new FhirHttp(second.port(), tokens.bearer(OTHER));
        await().atMost(Duration.ofSeconds(10)).until(() -> heardAtSecond.stream()
                .anyMatch(n -> n.change().resourceId().equals("p2-appt")));
        assertThat(otherAtSecond.get("/fhir/Observation/p2-obs").status()).isEqualTo(404);

        assertThat(http.putJson("/fhir/Appointment/p2-appt", AccessFixture.appointment("p2-appt", "p2",
                "Practitioner/other", Appointment.AppointmentStatus.BOOKED)).status()).isEqualTo(200);

        await().atMost(noticed()).pollInterval(Duration.ofMillis(100))
                .until(() -> otherAtSecond.get("/fhir/Observation/p2-obs").status() == 200);
    }

    @Test
    void aLaunchMintedAtOneNodeGivesOneTokenAtTheOtherAndNoMore() {
        String nurse = tokens.account(TestTokens.Caller.staff("Practitioner/staff-061", AccessRole.REGISTERED_NURSE));
        HttpClient atFirst = TestTokens.browser();
        tokens.signIn(atFirst, nurse, TestTokens.PASSWORD);
        storePatientAndEncounter("patient-61", "encounter-61");
        String launch = tokens.mintLaunch(atFirst, "patient-61", "encounter-61");
        TestTokens secondTokens = second.tokens();
        HttpClient atSecond = TestTokens.browser();
        secondTokens.signIn(atSecond, nurse, TestTokens.PASSWORD);

        JsonNode token = secondTokens.authorisationCode(atSecond, TestTokens.TEST_APP, "launch openid user/*.rs", launch);

        assertThat(token.get("patient").asString()).isEqualTo("patient-61");
        assertThat(token.get("encounter").asString()).isEqualTo("encounter-61");
        assertThatThrownBy(() -> secondTokens.authorisationCode(atSecond, TestTokens.TEST_APP,
                "launch openid user/*.rs", launch)).hasMessageContaining("400").hasMessageContaining("invalid_grant");
        assertThatThrownBy(() -> tokens.authorisationCode(atFirst, TestTokens.TEST_APP,
                "launch openid user/*.rs", launch)).hasMessageContaining("400").hasMessageContaining("invalid_grant");
    }
}
