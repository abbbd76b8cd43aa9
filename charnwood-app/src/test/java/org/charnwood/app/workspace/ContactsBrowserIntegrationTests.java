package org.charnwood.app.workspace;

import org.charnwood.app.repository.OutboxRelay;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.charnwood.app.workspace.ContactFixture.*;

/**
 * Recording a contact, closing an episode and "My caseload" in a real browser, every page (with and without its
 * error messages) checked by axe-core for WCAG 2.x A/AA problems, and the SNOMED CT typeahead filling in the
 * code of a coded field.
 */
class ContactsBrowserIntegrationTests extends BrowserIntegrationTest {

    @Autowired
    CareRelationships relationships;

    @Autowired
    OutboxRelay relay;

    @BeforeEach
    void aPatientWithAnOpenEpisode() {
        ContactFixture.load(http, clock.instant());
        relationships.forgetAll();
    }

    private StaffBrowser page(String path) {
        StaffBrowser b = browser().open(path);
        if (b.path().startsWith("/signin")) {
            b.signIn(tokens.account(WARD_NURSE), TestTokens.PASSWORD);
            assertThat(b.landedOn()).isEqualTo(path);
        }
        return b;
    }

    @Test
    void recordsAContactFromTheRecordSummary() {
        StaffBrowser b = page("/staff/patients/p1");
        b.click("#record-contact");
        assertThat(b.path()).isEqualTo("/staff/patients/p1/contacts/new");
        assertThat(b.title()).isEqualTo("Record a contact: MARSH, Edith – Charnwood");
        b.assertAccessible();

        // Everything wrong first: the error summary, inline messages and the matches offered are checked too.
        b.type("#duration", "").type("#reasonTerm", "synthetic gland disorder type").type("#outcomeTerm", "");
        b.click("#contact-form button");
        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.text("#error-summary")).contains("Enter how long the contact lasted",
                "Select how the contact took place", "Choose the reason for the contact from the matches");
        assertThat(b.present("#reasonTerm-matches")).isTrue();
        b.assertAccessible();

        b.click("#reasonTerm-match-0");
        b.type("#duration", "45").type("#time", "09:30");
        b.click("#mechanism-AMB");
        b.click("#attendance");
        b.type("#outcomeTerm", RAISED_MARKER_TERM);
        b.type("#note", "Seen in clinic with her daughter.");
        LocalDate yesterday = LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/London")).minusDays(1);
        b.type("#day", Integer.toString(yesterday.getDayOfMonth()))
                .type("#day-month", Integer.toString(yesterday.getMonthValue()))
                .type("#day-year", Integer.toString(yesterday.getYear()));
        b.click("#contact-form button");

        assertThat(b.path()).isEqualTo("/staff/patients/p1/contacts/recorded");
        assertThat(b.text("#contact-recorded")).contains("Face to face in clinic");
        assertThat(b.text("#recorded-outcome")).isEqualTo(RAISED_MARKER_TERM);
        b.assertAccessible();

        b.click("#back-to-summary");
        assertThat(b.text("#contacts")).contains("reason: Synthetic gland disorder type")
                .contains("outcome: " + RAISED_MARKER_TERM).contains("note: Seen in clinic with her daughter.");
        b.assertAccessible();
    }

    @Test
    void theTypeaheadFillsInTheCodeOfTheConceptChosen() {
        StaffBrowser b = page("/staff/patients/p1/contacts/new");
        b.type("#reasonTerm", "Synthetic heart-like");
        await().atMost(Duration.ofSeconds(10)).until(() -> !b.driver()
                .findElements(By.cssSelector("#reasonTerm-suggestions option")).isEmpty());
        b.type("#reasonTerm", FINDING_TERM);
        assertThat(b.find("input[name='reasonCode']").getDomProperty("value")).isEqualTo(FINDING);
        b.assertAccessible();
    }

    @Test
    void closesAnEpisodeFromTheRecordSummary() {
        StaffBrowser b = page("/staff/patients/p1");
        b.click("#discharge-e1");
        assertThat(b.path()).isEqualTo("/staff/patients/p1/episodes/e1/close");
        b.assertAccessible();

        b.type("#reasonTerm", "");
        b.type("#day-year", "1999");
        b.click("#discharge-form button");
        assertThat(b.text("#error-summary")).contains("Date of discharge must be on or after the episode started",
                "Enter the reason for discharge");
        b.assertAccessible();

        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/London"));
        b.type("#day-year", Integer.toString(today.getYear())).type("#reasonTerm", RAISED_MARKER_TERM);
        b.click("#discharge-form button");
        assertThat(b.path()).isEqualTo("/staff/patients/p1/episodes/e1/closed");
        assertThat(b.text("#closed-reason")).isEqualTo(RAISED_MARKER_TERM);
        assertThat(b.text("#closed-referral")).isEqualTo("Completed");
        b.assertAccessible();

        // The episode was the nurse's only relationship with the patient, so it ended with it (decision 22): the
        // record summary no longer shows her the patient's episodes once the closing is relayed. The relay runs
        // within a moment anyway; waiting for it here keeps the summary below from depending on that moment.
        relay.relayPending();
        b.click("#back-to-summary");
        assertThat(b.text("#episodes")).contains("Not shown");
        assertThat(b.present("#discharge-e1")).isFalse();
        assertThat(http.get("/fhir/EpisodeOfCare/e1").resource(EpisodeOfCare.class).getStatus())
                .isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
    }

    @Test
    void myCaseloadIsInTheNavigation() {
        StaffBrowser b = page("/staff/patients");
        b.click("a[href='/staff/caseload']");
        assertThat(b.title()).isEqualTo("My caseload – Charnwood");
        assertThat(b.text("#episodes")).contains("MARSH, Edith");
        b.assertAccessible();
    }
}
