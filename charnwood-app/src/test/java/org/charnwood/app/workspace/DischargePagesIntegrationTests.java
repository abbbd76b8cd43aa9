package org.charnwood.app.workspace;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.workspace.ContactFixture.*;

/**
 * Closing an episode of care (discharge) over HTTP as a signed-in nurse: the episode finished with its end date and
 * coded reason, the referral completed when asked, the record summary showing it closed; bad dates and reasons
 * shown again (422) with nothing changed; an episode changed or closed by someone else after the form was opened
 * (409, nothing written, what was typed kept); the access policy's refusal.
 */
class DischargePagesIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    CareRelationships relationships;

    private HttpClient nurse;
    private LocalDate today;

    @BeforeEach
    void aPatientWithAnOpenEpisode() {
        ContactFixture.load(http, clock.instant());
        relationships.forgetAll();
        nurse = signedIn(tokens, WARD_NURSE);
        today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/London"));
    }

    private Map<String, String> valid() {
        Map<String, String> form = new HashMap<>();
        form.put("day", Integer.toString(today.getDayOfMonth()));
        form.put("month", Integer.toString(today.getMonthValue()));
        form.put("year", Integer.toString(today.getYear()));
        form.put("reasonTerm", RAISED_MARKER_TERM);
        form.put("reasonCode", "");
        form.put("completeReferral", "yes");
        return form;
    }

    /** Opens the form and posts the fields with its CSRF token and the version it carries. */
    private HttpResponse<String> post(HttpClient browser, Map<String, String> form) {
        String page = body(tokens.get(browser, url("/staff/patients/p1/episodes/e1/close")), 200);
        Map<String, String> sent = new HashMap<>(form);
        sent.put("_csrf", csrf(page));
        sent.putIfAbsent("version", version(page));
        return tokens.postForm(browser, url("/staff/patients/p1/episodes/e1/close"), sent, true);
    }

    private static String version(String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"version\" value=\"(\\d+)\"").matcher(page);
        assertThat(m.find()).as("the version the form carries").isTrue();
        return m.group(1);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private EpisodeOfCare episode() {
        return http.get("/fhir/EpisodeOfCare/e1").resource(EpisodeOfCare.class);
    }

    private ServiceRequest referral() {
        return http.get("/fhir/ServiceRequest/r1").resource(ServiceRequest.class);
    }

    @Test
    void closesTheEpisodeCompletesItsReferralAndTheSummaryShowsItClosed() {
        // The closed episode ends the relationship it gave, as soon as the change is relayed; a booked visit keeps
        // the nurse's, so that the summary read after the discharge does not depend on when the relay runs.
        ContactFixture.put(http, "Appointment/follow-up", """
                {"resourceType":"Appointment","id":"follow-up","status":"booked",
                 "start":"%s","end":"%s",
                 "participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"},
                                {"actor":{"reference":"Practitioner/staff-001"},"status":"accepted"}]}"""
                .formatted(clock.instant().plusSeconds(86_400), clock.instant().plusSeconds(90_000)));
        relationships.forgetAll();
        String summaryBefore = body(tokens.get(nurse, url("/staff/patients/p1")), 200);
        assertThat(summaryBefore).contains("id=\"record-contact\"", "id=\"discharge-e1\"");

        HttpResponse<String> closed = post(nurse, valid());
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(302);
        assertThat(closed.headers().firstValue("Location").orElseThrow()).endsWith("/staff/patients/p1/episodes/e1/closed");
        assertThat(body(tokens.get(nurse, url("/staff/patients/p1/episodes/e1/closed")), 200))
                .contains("Discharged", RAISED_MARKER_TERM, "Completed");

        EpisodeOfCare episode = episode();
        assertThat(episode.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        assertThat(episode.getPeriod().getEndElement().getValueAsString()).isEqualTo(today.toString());
        CodeableConcept reason = (CodeableConcept) episode.getExtensionByUrl(ContactCoding.DISCHARGE_REASON_EXTENSION)
                .getValue();
        assertThat(reason.getCodingFirstRep().getCode()).isEqualTo(RAISED_MARKER);
        assertThat(referral().getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);

        relationships.forgetAll();
        String summary = body(tokens.get(nurse, url("/staff/patients/p1")), 200);
        assertThat(summary).contains("Finished").doesNotContain("id=\"discharge-e1\"");
        // A closed episode cannot be closed again.
        assertThat(tokens.get(nurse, url("/staff/patients/p1/episodes/e1/close")).statusCode()).isEqualTo(404);
    }

    @Test
    void leavesAReferralHiddenFromTheNurseAsItWasAndDoesNotMentionIt() {
        ServiceRequest labelled = referral();
        labelled.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "V",
                "very restricted");
        assertThat(http.putJson("/fhir/ServiceRequest/r1", labelled).status()).isEqualTo(200);

        HttpResponse<String> closed = post(nurse, valid());
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(302);
        assertThat(episode().getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        assertThat(referral().getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(body(tokens.get(nurse, url("/staff/patients/p1/episodes/e1/closed")), 200))
                .contains("Discharged").doesNotContain("Completed");
    }

    @Test
    void leavesTheReferralAsItWasWhenNotAsked() {
        Map<String, String> form = valid();
        form.remove("completeReferral");
        assertThat(post(nurse, form).statusCode()).isEqualTo(302);
        assertThat(episode().getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        assertThat(referral().getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
    }

    @Test
    void refusesAnEndBeforeTheStartOrInTheFutureOrWithoutAReasonAndChangesNothing() {
        Map<String, String> early = valid();
        LocalDate before = episodeStart(clock.instant()).minusDays(1);
        early.put("day", Integer.toString(before.getDayOfMonth()));
        early.put("month", Integer.toString(before.getMonthValue()));
        early.put("year", Integer.toString(before.getYear()));
        early.put("reasonTerm", "");
        String page = body(post(nurse, early), 422);
        assertThat(page).contains("<title>Error: Discharge", "Date of discharge must be on or after the episode started",
                "Enter the reason for discharge", "value=\"" + before.getYear() + "\"");

        Map<String, String> future = valid();
        LocalDate tomorrow = today.plusDays(1);
        future.put("day", Integer.toString(tomorrow.getDayOfMonth()));
        future.put("month", Integer.toString(tomorrow.getMonthValue()));
        future.put("year", Integer.toString(tomorrow.getYear()));
        future.put("reasonTerm", "no such reason qqqzzz");
        assertThat(body(post(nurse, future), 422)).contains("Date of discharge must be today or in the past",
                "No reason for discharge matches");

        Map<String, String> outside = valid();
        outside.put("reasonTerm", "Synthetic heart-like organ examination");
        assertThat(body(post(nurse, outside), 422)).contains("No reason for discharge matches");

        assertThat(episode().getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        assertThat(episode().getPeriod().hasEnd()).isFalse();
        assertThat(referral().getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
    }

    @Test
    void anEpisodeChangedBySomeoneElseAfterTheFormWasOpenedIsNotOverwrittenAndWhatWasTypedIsKept() {
        String form = body(tokens.get(nurse, url("/staff/patients/p1/episodes/e1/close")), 200);
        int opened = Integer.parseInt(version(form));
        assertThat(opened).isEqualTo(Integer.parseInt(episode().getMeta().getVersionId()));

        EpisodeOfCare moved = episode();
        moved.getTeamFirstRep().setDisplay("Hinckley district nursing");
        assertThat(http.putJson("/fhir/EpisodeOfCare/e1", moved).status()).isEqualTo(200);

        Map<String, String> mine = valid();
        mine.put("version", Integer.toString(opened));
        mine.put("_csrf", csrf(form));
        HttpResponse<String> stale = tokens.postForm(nurse, url("/staff/patients/p1/episodes/e1/close"), mine, true);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        assertThat(stale.body()).contains("id=\"conflict\"",
                "Someone else changed this episode of care after you opened the form",
                "the discharge has not been saved", "id=\"stored-now\"", "Hinckley district nursing",
                "name=\"version\" value=\"" + (opened + 1) + "\"", "value=\"" + RAISED_MARKER_TERM + "\"");
        assertThat(episode().getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        assertThat(episode().getMeta().getVersionId()).isEqualTo(Integer.toString(opened + 1));
        assertThat(referral().getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);

        // Discharged from the page as it is now, the discharge is saved and keeps the other person's change.
        mine.put("version", Integer.toString(opened + 1));
        mine.put("_csrf", csrf(stale.body()));
        HttpResponse<String> again = tokens.postForm(nurse, url("/staff/patients/p1/episodes/e1/close"), mine, true);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(302);
        assertThat(episode().getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        assertThat(episode().getTeamFirstRep().getDisplay()).isEqualTo("Hinckley district nursing");
    }

    @Test
    void anEpisodeClosedBySomeoneElseMeanwhileIsNotClosedTwice() {
        String form = body(tokens.get(nurse, url("/staff/patients/p1/episodes/e1/close")), 200);
        String opened = version(form);
        assertThat(post(nurse, valid()).statusCode()).isEqualTo(302);
        String closed = episode().getMeta().getVersionId();

        Map<String, String> mine = valid();
        mine.put("version", opened);
        mine.put("_csrf", csrf(form));
        // The nurse's care relationship came with the open episode and ended with it. Once the closing is relayed
        // (done here at once, as the relay would within a moment), the episode is hidden from her as any record she
        // has no relationship with (decision 22): the late form finds no such episode and nothing of it is shown.
        // Before the relay, the page's own check of her relationship refuses her (403) instead; either way nothing
        // is saved.
        relationships.forgetAll();
        HttpResponse<String> late = tokens.postForm(nurse, url("/staff/patients/p1/episodes/e1/close"), mine, true);
        assertThat(late.statusCode()).as(late.body()).isEqualTo(404);
        assertThat(late.body()).doesNotContain(RAISED_MARKER_TERM);
        assertThat(episode().getMeta().getVersionId()).isEqualTo(closed);
    }

    @Test
    void aNurseWithoutARelationshipMayNotDischarge() {
        HttpClient other = signedIn(tokens, OTHER_NURSE);
        HttpResponse<String> page = tokens.get(other, url("/staff/patients/p1/episodes/e1/close"));
        // Without a relationship the patient's episodes are hidden from her (decision 22), so the episode is not
        // found, as any record she may not see.
        assertThat(page.statusCode()).isEqualTo(404);
        String summary = body(tokens.get(other, url("/staff/patients/p1")), 200);
        Map<String, String> form = new HashMap<>(valid());
        form.put("_csrf", csrf(summary));
        HttpResponse<String> refused = tokens.postForm(other, url("/staff/patients/p1/episodes/e1/close"), form,
                true);
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(episode().getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
    }
}
