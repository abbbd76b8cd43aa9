package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in pages as people use them in Chromium, checked by axe-core: a wrong password or code is named in the
 * title and in an error summary that leads to the field, with the same words whether or not the account exists;
 * the page says when someone has signed out, was timed out, or sent a page left open too long, and what to do
 * next; and the whole sign-in works from the keyboard alone.
 */
class SignInPagesBrowserIntegrationTests extends BrowserIntegrationTest {

    private static TestTokens.Caller staff(String practitioner) {
        return TestTokens.Caller.staff("Practitioner/" + practitioner, AccessRole.REGISTERED_NURSE);
    }

    /** The sign-in page, with nobody signed in. */
    private StaffBrowser signInPage() {
        return browser().forgetSession().open("/signin");
    }

    private String activeId() {
        return (String) browser().driver().executeScript("return document.activeElement.id");
    }

    @Test
    void aWrongPasswordIsNamedInTheTitleAndTheSummaryLeadsToTheFieldWithTheSameWordsForAnUnknownUser() {
        String account = tokens.account(staff("signin-pages-wrong"));
        StaffBrowser b = signInPage().signIn(account, "not the password");

        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.find(".nhsuk-error-summary a").getAttribute("href")).endsWith("#username");
        assertThat(b.find("#username").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(b.find("#username").getAttribute("aria-describedby")).isEqualTo("username-error");
        String wrongPassword = b.text(".nhsuk-error-summary");
        assertThat(wrongPassword).contains("The username or password is not right", "try again",
                "5 times in a row", "wait 15 minutes");
        b.assertAccessible();
        assertThat(b.find("#username").getAttribute("value")).as("what was typed is kept").isEqualTo(account);
        assertThat(b.find("#password").getAttribute("value")).as("the password never is").isEmpty();
        assertThat(b.driver().getPageSource()).doesNotContain("not the password");
        b.click(".nhsuk-error-summary a");
        assertThat(activeId()).as("the summary's link takes the person to the field").isEqualTo("username");
        b.open("/signin");
        assertThat(b.find("#username").getAttribute("value")).as("kept for the page after the refusal only").isEmpty();

        signInPage().signIn("nobody-" + System.nanoTime(), "not the password");
        assertThat(b.text(".nhsuk-error-summary")).as("no hint whether the account exists").isEqualTo(wrongPassword);
        assertThat(b.text("main")).doesNotContainIgnoringCase("locked").doesNotContainIgnoringCase("does not exist");
    }

    @Test
    void aPatientWhoMistypesTheirPasswordKeepsTheirUsernameAndThenSignsIn() {
        String account = tokens.account(TestTokens.Caller.patient("signin-pages-patient"));
        StaffBrowser b = signInPage().signIn(account, "not the password");

        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.find("#username").getAttribute("value")).isEqualTo(account);
        assertThat(b.find("#password").getAttribute("value")).isEmpty();
        b.assertAccessible();
        b.find("#password").sendKeys(TestTokens.PASSWORD);
        b.click("form[action='/signin'] button");
        assertThat(b.landedOn()).isEqualTo("/signin/done");
        // Their own pages are each a link away, the people who can see their record among them.
        assertThat(b.text("#carers")).isEqualTo("See the people who can see your record");
        assertThat(b.text("#record-access")).isEqualTo("See who has viewed your record");
        b.assertAccessible();
    }

    @Test
    void aCarerIsNotToldTheRecordTheyLookAfterIsTheirOwn() {
        StaffBrowser b = signInPage().signIn(
                tokens.account(TestTokens.Caller.carer("signin-pages-carer", "signin-pages-cared-for")),
                TestTokens.PASSWORD);
        assertThat(b.landedOn()).isEqualTo("/signin/done");
        assertThat(b.text("main")).contains("the person you care for").doesNotContain("your record");
        assertThat(b.present("#carers")).as("only the patient chooses who sees their record").isFalse();
    }

    @Test
    void signingOutSaysSoOnTheSignInPage() {
        StaffBrowser b = signInPage().signIn(tokens.account(staff("signin-pages-out")), TestTokens.PASSWORD);
        b.open("/signin/done").click("form[action='/signout'] button");

        assertThat(b.path()).startsWith("/signin?signedout");
        assertThat(b.text("#signin-notice")).contains("You have signed out");
        b.assertAccessible();
    }

    @Test
    void aSessionThatTimedOutIsExplainedOnceOnTheSignInPage() {
        StaffBrowser b = signInPage().signIn(tokens.account(staff("signin-pages-idle")), TestTokens.PASSWORD);
        assertThat(b.path()).isEqualTo("/signin/done");

        clock.advance(Duration.ofMinutes(16));
        b.open("/staff/patients");

        assertThat(b.path()).startsWith("/signin");
        assertThat(b.text("#signin-notice")).contains("signed out because you had not used Charnwood for 15 minutes",
                "Sign in again");
        b.assertAccessible();
        b.open("/signin");
        assertThat(b.present("#signin-notice")).as("said once").isFalse();
    }

    @Test
    void aSessionEndedByTheAbsoluteLimitSaysThatNotThatThePersonWasIdle() {
        StaffBrowser b = signInPage().signIn(tokens.account(staff("signin-pages-long")), TestTokens.PASSWORD);
        for (int i = 0; i < 52; i++) {
            clock.advance(Duration.ofMinutes(14));
            b.open("/signin/done");
        }

        assertThat(b.path()).startsWith("/signin");
        assertThat(b.text("#signin-notice")).contains("signed in for 12 hours", "Sign in again")
                .doesNotContain("had not used");
    }

    @Test
    void aSignInPageLeftOpenPastItsSessionAsksAgainInsteadOfRefusing() {
        String account = tokens.account(staff("signin-pages-expired"));
        StaffBrowser b = signInPage();
        b.forgetSession();

        b.signIn(account, TestTokens.PASSWORD);

        assertThat(b.path()).isEqualTo("/signin?expired");
        assertThat(b.text("#signin-notice")).contains("open too long", "Enter your username and password again");
        b.assertAccessible();
        b.open("/signin/done");
        assertThat(b.path()).as("not signed in").startsWith("/signin");
        assertThat(b.present("#signin-notice")).isFalse();

        b.signIn(account, TestTokens.PASSWORD);
        assertThat(b.landedOn()).isEqualTo("/signin/done");
    }

    @Test
    void signingOutFromAPageWhoseSessionHadAlreadyEndedSaysSignedOut() {
        StaffBrowser b = signInPage().signIn(tokens.account(staff("signin-pages-late-out")), TestTokens.PASSWORD);
        b.open("/signin/done");
        b.forgetSession();

        b.click("form[action='/signout'] button");

        assertThat(b.path()).startsWith("/signin?signedout");
        assertThat(b.text("#signin-notice")).contains("You have signed out");
    }

    @Test
    void aWrongCodeIsNamedInTheTitleAndTheSummaryLeadsToTheCodeAndTheStepCanBeCancelled() {
        StaffBrowser b = signInPage().signIn(tokens.account(staff("signin-pages-code"), true), TestTokens.PASSWORD);
        assertThat(b.path()).isEqualTo("/signin/second-factor");
        assertThat(b.title()).doesNotStartWith("Error:");
        assertThat(b.find("#code").getAttribute("autocomplete")).isEqualTo("one-time-code");
        assertThat(b.find("#code").getAttribute("inputmode")).isEqualTo("numeric");

        b.type("#code", "000000").click("form[action='/signin/second-factor'] button");

        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.find(".nhsuk-error-summary a").getAttribute("href")).endsWith("#code");
        assertThat(b.find("#code").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(b.find("#code").getAttribute("aria-describedby")).isEqualTo("code-hint code-error");
        b.assertAccessible();
        b.click(".nhsuk-error-summary a");
        assertThat(activeId()).isEqualTo("code");

        b.click("form[action='/signout'] button");
        assertThat(b.path()).startsWith("/signin?signedout");
        b.open("/signin/second-factor");
        assertThat(b.path()).as("the half-finished sign-in is gone").isEqualTo("/signin");
    }

    @Test
    void theSignInPageIsUsableFromTheKeyboardAloneStartingWithASkipLink() {
        String account = tokens.account(staff("signin-pages-keys"));
        StaffBrowser b = signInPage();
        assertThat(b.find("html").getAttribute("lang")).startsWith("en");
        assertThat(b.find("#username").getAttribute("autocomplete")).isEqualTo("username");
        assertThat(b.find("#password").getAttribute("autocomplete")).isEqualTo("current-password");

        Actions keys = new Actions(b.driver());
        keys.sendKeys(Keys.TAB).perform();
        assertThat(b.driver().switchTo().activeElement().getText()).isEqualTo("Skip to main content");
        keys.sendKeys(Keys.TAB).perform();
        assertThat(activeId()).isEqualTo("username");
        keys.sendKeys(account).sendKeys(Keys.TAB).perform();
        assertThat(activeId()).isEqualTo("password");
        keys.sendKeys(TestTokens.PASSWORD).sendKeys(Keys.ENTER).perform();

        new org.openqa.selenium.support.ui.WebDriverWait(b.driver(), Duration.ofSeconds(10))
                .until(d -> b.path().equals("/signin/done"));
    }

    @Test
    void aPatientFormPostedAfterItsSessionEndedSaysThePageExpiredNotThatItIsForbidden() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/my/apps/stop"))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                        .POST(HttpRequest.BodyPublishers.ofString("client=some-app")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<title>This page has expired", "Nothing was saved", "Sign in again",
                "Your health record").doesNotContain("You cannot see this page");
    }
}
