package org.charnwood.app.workspace;

import org.charnwood.app.repository.OutboxRelay;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.security.accounts.Totp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The staff workspace in a real browser: finding a patient, reading the record, recording observations and
 * answering an escalation on the ward board, with every page checked by axe-core for WCAG 2.x A/AA problems.
 */
class StaffWorkspaceBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final TestTokens.Caller NURSE = TestTokens.Caller.staff("Practitioner/staff-001",
            AccessRole.REGISTERED_NURSE);

    @Autowired
    OutboxRelay relay;

    /** The nurse's test account: password only, no second factor. */
    private String nurse() {
        return tokens.account(NURSE);
    }

    /**
     * Opens a staff page as the nurse, signing in on the real sign-in page first when the browser has no
     * signed-in session (the first test, or after a test signed out).
     */
    private StaffBrowser page(String path) {
        StaffBrowser b = browser().open(path);
        if (b.path().startsWith("/signin")) {
            b.signIn(nurse(), TestTokens.PASSWORD);
            assertThat(b.landedOn()).as("back on the page asked for after signing in").isEqualTo(path);
        }
        return b;
    }

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void aPatientInABedOnAWard() {
        WardFixture.load(http);
        relationships.forgetAll();
    }

    @Test
    void staffSignInOnTheSignInPageLandOnThePageTheyAskedForAndCanSignOut() {
        StaffBrowser b = browser();
        b.open("/signin/done");
        if (b.present("form[action='/signout'] button")) {
            b.click("form[action='/signout'] button");
        }
        b.open("/staff/patients/p1");
        assertThat(b.path()).startsWith("/signin");
        b.assertAccessible();

        b.signIn(nurse(), "not the password");
        assertThat(b.text(".nhsuk-error-summary")).contains("The username or password is not right");
        b.assertAccessible();

        b.signIn(nurse(), TestTokens.PASSWORD);
        assertThat(b.landedOn()).isEqualTo("/staff/patients/p1");
        assertThat(b.text("#signed-in-user")).contains("Flo Nightingale");

        b.click("#sign-out button");
        assertThat(b.path()).startsWith("/signin");
        b.open("/staff/patients");
        assertThat(b.path()).as("signed out: the staff pages ask for sign-in again").startsWith("/signin");
    }

    @Test
    void theSecondFactorPagesAreAccessibleAndTheCodeFromTheAuthenticatorSignsIn() {
        StaffBrowser b = browser();
        b.open("/signin/done");
        if (b.present("form[action='/signout'] button")) {
            b.click("form[action='/signout'] button");
        }
        b.open("/staff/patients").signIn(tokens.account(NURSE, true), TestTokens.PASSWORD);
        assertThat(b.path()).isEqualTo("/signin/second-factor");
        b.assertAccessible();
        String secret = b.text("#totp-secret");

        b.type("#code", "000000").click("form[action='/signin/second-factor'] button");
        assertThat(b.path()).startsWith("/signin/second-factor");
        assertThat(b.text(".nhsuk-error-summary")).contains("That code is not right");
        b.assertAccessible();

        b.type("#code", Totp.code(secret, clock.instant())).click("form[action='/signin/second-factor'] button");
        assertThat(b.landedOn()).isEqualTo("/staff/patients");
        b.click("#sign-out button");
    }

    @Test
    void aNurseWithoutARelationshipIsOfferedBreakGlassAndTheFormOpensTheRecord() {
        StaffBrowser b = browser();
        b.open("/signin/done");
        if (b.present("form[action='/signout'] button")) {
            b.click("form[action='/signout'] button");
        }
        String otherNurse = tokens.account(TestTokens.Caller.staff("Practitioner/staff-002", AccessRole.REGISTERED_NURSE));
        b.open("/staff/patients/p1").signIn(otherNurse, TestTokens.PASSWORD);
        assertThat(b.landedOn()).isEqualTo("/staff/patients/p1");
        assertThat(b.text("#patient-banner")).contains("999 000 0018");
        assertThat(b.present("#banner-restricted")).isTrue();
        assertThat(b.text("#problems")).doesNotContain("Chronic obstructive pulmonary disease");
        assertThat(b.present("#break-glass")).isTrue();
        b.assertAccessible();

        b.type("#break-glass-reason", "urgent").click("#break-glass-form button");
        assertThat(b.text("#break-glass-error")).contains("in at least a sentence");
        assertThat(b.find("#break-glass-reason").getAttribute("aria-describedby")).isEqualTo("break-glass-error");
        assertThat(b.find("#break-glass-reason").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.find(".nhsuk-error-summary a").getAttribute("href")).endsWith("#break-glass-reason");
        b.assertAccessible();
        b.click(".nhsuk-error-summary a");
        assertThat(b.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("break-glass-reason");

        b.type("#break-glass-reason", "Deteriorating on the ward, her own nurse is on a break")
                .click("#break-glass-form button");
        assertThat(b.path()).isEqualTo("/staff/patients/p1");
        assertThat(b.text("#problems")).contains("Chronic obstructive pulmonary disease");
        assertThat(b.present("#break-glass")).isFalse();
        b.click("#sign-out button");
    }

    @Test
    void aSupportWorkerWithoutARelationshipIsToldWhomToAskNotOfferedBreakGlass() {
        String hca = tokens.account(TestTokens.Caller.staff("Practitioner/staff-002", AccessRole.HEALTH_CARE_ASSISTANT));
        StaffBrowser b = browser().openAs("/staff/patients/p1", hca, TestTokens.PASSWORD);

        assertThat(b.present("#break-glass")).isFalse();
        assertThat(b.text("#no-relationship")).contains("ask a clinician in the patient's care team");
        assertThat(b.present("#add-problems")).isFalse();
        b.assertAccessible();
        b.click("#sign-out button");
    }

    @Test
    void patientsCannotUseTheStaffPages() {
        var browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.patient("p1")), TestTokens.PASSWORD);
        assertThat(tokens.get(browser, "http://localhost:" + port + "/staff/patients").statusCode()).isEqualTo(403);
        var anonymous = TestTokens.browser();
        var response = tokens.get(anonymous, "http://localhost:" + port + "/staff/patients");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/signin");
        assertThat(tokens.get(anonymous, "http://localhost:" + port + "/nhsuk/nhsuk-frontend.min.css").statusCode())
                .isEqualTo(200);
        assertThat(tokens.get(anonymous, "http://localhost:" + port + "/workspace/workspace.css").statusCode())
                .isEqualTo(200);
    }

    @Test
    void findsAPatientByNhsNumberByNameAndDateOfBirthAndByPostcode() {
        StaffBrowser b = page("/staff/patients");
        assertThat(b.title()).isEqualTo("Find a patient – Charnwood");
        b.assertAccessible();

        b.type("#nhsNumber", "999 000 0017").click("#by-nhs-number button");
        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.text("#error-summary")).contains("The check digit is wrong");
        assertThat(b.text("#nhsNumber-error")).contains("must end in 8");
        b.assertAccessible();

        b.type("#nhsNumber", "9990000018").click("#by-nhs-number button");
        assertThat(b.text("#results")).contains("MARSH, Edith").contains("999 000 0018");

        b.type("#name", "Marsh").type("#birth-day", "15").type("#birth-month", "3").type("#birth-year", "1941")
                .click("#by-name button");
        assertThat(b.text("#results")).contains("MARSH, Edith");

        b.type("#postcode", "le113np").click("#by-postcode button");
        assertThat(b.text("#results")).contains("MARSH, Edith").contains("LE11 3NP");
        b.assertAccessible();

        b.type("#name", "Marsh").type("#birth-day", "").type("#birth-month", "").type("#birth-year", "")
                .click("#by-name button");
        assertThat(b.text("#error-summary")).contains("Enter the patient's date of birth");
    }

    @Test
    void theNhsNumberCheckDigitIsCheckedAsItIsTyped() {
        StaffBrowser b = page("/staff/patients");
        b.type("#nhsNumber", "9990000017");
        await().atMost(Duration.ofSeconds(5)).until(() -> b.text("#nhsNumber-check").contains("must end in 8"));
        b.type("#nhsNumber", "9990000018");
        await().atMost(Duration.ofSeconds(5)).until(() -> b.text("#nhsNumber-check").contains("is valid"));
    }

    @Test
    void readsTheRecordSummaryUnderThePatientBanner() {
        StaffBrowser b = page("/staff/patients/p1");
        assertThat(b.title()).isEqualTo("Record summary: MARSH, Edith – Charnwood");
        assertThat(b.text("#patient-banner")).contains("999 000 0018").contains("15 March 1941")
                .contains("Charnwood Medical Practice").contains("LE11 3NP");
        assertThat(b.text("#banner-allergies")).isEqualTo("Penicillin");
        assertThat(b.text("#banner-alerts")).contains("Falls risk");
        assertThat(b.present("#banner-restricted")).isTrue();
        assertThat(b.text("#problems")).contains("Chronic obstructive pulmonary disease");
        assertThat(b.text("#medications")).contains("Salbutamol");
        assertThat(b.text("#episodes")).contains("Inpatient care");
        assertThat(b.text("#documents")).contains("Discharge summary");
        assertThat(b.text("#contacts")).contains("Hospital admission");
        assertThat(b.text("#signed-in-user")).contains("Flo Nightingale");
        assertThat(b.present("#break-glass")).as("a nurse with a relationship is not offered break-glass").isFalse();
        b.assertAccessible();
    }

    @Test
    void aCompleteSetOfObservationsShowsTheNews2Score() {
        StaffBrowser b = page("/staff/patients/p1/observations/new");
        b.assertAccessible();
        fill(b, "18", "97", "air", "124", "72", "ALERT", "36.8");
        b.click("#observations-form button");

        assertThat(b.path()).isEqualTo("/staff/patients/p1/observations/recorded");
        assertThat(b.text("#news2-score")).isEqualTo("NEWS2 score 0");
        assertThat(b.text("#news2-risk")).isEqualTo("Low clinical risk");
        assertThat(b.text("#news2-next-due")).contains("within 12 hours");
        assertThat(vitalSigns()).isEqualTo(7);
        b.assertAccessible();
    }

    @Test
    void anIncompleteSetIsSavedButNews2CouldNotBeCalculated() {
        StaffBrowser b = page("/staff/patients/p1/observations/new");
        fill(b, "18", "", "air", "124", "72", "ALERT", "");
        b.click("#observations-form button");

        assertThat(b.text("#news2-incomplete")).contains("NEWS2 could not be calculated");
        assertThat(b.text("#news2-missing")).contains("Oxygen saturation").contains("Temperature");
        assertThat(vitalSigns()).isEqualTo(5);
        b.assertAccessible();
    }

    @Test
    void invalidObservationsAreShownWithTheErrorPatternAndNothingIsSaved() {
        StaffBrowser b = page("/staff/patients/p1/observations/new");
        fill(b, "18.5", "97", "air", "124", "72", "ALERT", "36.85");
        b.click("#observations-form button");

        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.text("#error-summary")).contains("Respiration rate must be a whole number")
                .contains("at most one decimal place");
        assertThat(b.find("#pulse").getDomProperty("value")).isEqualTo("72");
        assertThat(vitalSigns()).isZero();
        b.assertAccessible();
    }

    @Test
    void aMediumRiskSetPutsAnEscalationOnTheWardBoardThatTheNurseAccepts() {
        StaffBrowser b = page("/staff/patients/p1/observations/new");
        fill(b, "22", "97", "air", "120", "115", "ALERT", "38.2"); // 2 + 2 + 1 = NEWS2 5, medium
        b.click("#observations-form button");
        assertThat(b.text("#news2-score")).isEqualTo("NEWS2 score 5");
        assertThat(b.text("#news2-risk")).isEqualTo("Medium clinical risk");

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            relay.relayPending();
            return rows("fhir_resource where res_type = 'Task'") == 1;
        });

        b.open("/staff/wards/ward-a");
        assertThat(b.title()).isEqualTo("Ward board: Beaumont Ward – Charnwood");
        assertThat(b.text("#board-table")).contains("Beaumont Bed 01").contains("MARSH, Edith")
                .contains("5 Medium").contains("Beaumont Bed 02").contains("Empty");
        assertThat(b.present("[data-escalation]")).isTrue();
        b.assertAccessible();

        b.click("[data-escalation] button");
        assertThat(b.path()).isEqualTo("/staff/wards/ward-a");
        assertThat(b.text("#notice")).contains("Escalation accepted");
        assertThat(b.present("[data-escalation]")).isFalse();
        org.hl7.fhir.r4.model.Task task = (org.hl7.fhir.r4.model.Task) http.get("/fhir/Task").bundle()
                .getEntryFirstRep().getResource();
        assertThat(task.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Task.TaskStatus.ACCEPTED);
        assertThat(task.getOwner().getReference()).isEqualTo("Practitioner/staff-001");

        b.open("/staff/teams/team-ward-a");
        assertThat(b.text("#board-table")).contains("MARSH, Edith");
        b.assertAccessible();
    }

    @Test
    void decliningAnEscalationNeedsAReasonAndPassesItUpTheChain() {
        StaffBrowser b = page("/staff/patients/p1/observations/new");
        fill(b, "22", "97", "air", "120", "115", "ALERT", "38.2");
        b.click("#observations-form button");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            relay.relayPending();
            return rows("fhir_resource where res_type = 'Task'") == 1;
        });

        b.open("/staff/wards/ward-a").click("[data-escalation] a");
        assertThat(b.title()).isEqualTo("Decline escalation – Charnwood");
        b.assertAccessible();
        b.click("#decline-form button");
        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.text("#error-summary")).contains("Enter why you are declining");
        b.assertAccessible();

        b.type("#reason", "Reviewed at the bedside ten minutes ago").click("#decline-form button");
        assertThat(b.path()).isEqualTo("/staff/wards/ward-a");
        assertThat(b.text("#notice")).contains("Escalation declined");
        assertThat(b.text("[data-escalation]")).containsIgnoringCase("doctor on call");
    }

    /** The vital-sign Observations stored (the derived NEWS2 score is a survey, not counted). */
    private int vitalSigns() {
        return http.get("/fhir/Observation?category=vital-signs&_count=100").bundle().getEntry().size();
    }

    private static void fill(StaffBrowser b, String rr, String spo2, String air, String systolic, String pulse,
                             String acvpu, String temperature) {
        b.type("#respirationRate", rr).type("#oxygenSaturation", spo2);
        b.click("air".equals(air) ? "#airOrOxygen" : "#airOrOxygen-oxygen");
        b.type("#systolicPressure", systolic).type("#pulse", pulse);
        b.click("ALERT".equals(acvpu) ? "#consciousness" : "#consciousness-" + acvpu);
        b.type("#temperature", temperature);
    }
}
