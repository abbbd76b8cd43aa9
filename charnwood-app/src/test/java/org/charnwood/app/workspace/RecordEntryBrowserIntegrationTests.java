package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Problems, allergies and care plans in a real browser: the typeahead (typing, choosing from the list with the
 * keyboard, saving, seeing it on the summary), the same form with scripts switched off (the server lists the
 * matches to choose from), every form page checked by axe-core with and without errors, and the ward board
 * changing without a reload when an observation is recorded.
 */
class RecordEntryBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final TestTokens.Caller NURSE = TestTokens.Caller.staff("Practitioner/staff-001",
            AccessRole.REGISTERED_NURSE);

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void aPatientInABedOnAWard() {
        WardFixture.load(http);
        relationships.forgetAll();
    }

    private StaffBrowser page(String path) {
        StaffBrowser b = browser().open(path);
        if (b.path().startsWith("/signin")) {
            b.signIn(tokens.account(NURSE), TestTokens.PASSWORD);
            assertThat(b.landedOn()).isEqualTo(path);
        }
        return b;
    }

    private static void scripts(StaffBrowser b, boolean on) {
        b.driver().executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", !on));
    }

    @Test
    void aProblemIsAddedWithTheTypeaheadAndShownOnTheSummary() {
        StaffBrowser b = page("/staff/patients/p1");
        b.click("#add-problems");
        assertThat(b.path()).isEqualTo("/staff/patients/p1/problems/new");
        assertThat(b.find("#problemTerm").getAttribute("role")).isEqualTo("combobox");
        b.assertAccessible();

        b.type("#problemTerm", "heart-like organ disorder type");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.find("#problemTerm").getAttribute("aria-expanded")
                .equals("true"));
        assertThat(b.driver().findElements(By.cssSelector("#problemTerm-listbox [role=option]")).size())
                .isGreaterThan(1);
        b.assertAccessible();

        // Keyboard: down to the first match, Enter chooses it.
        b.find("#problemTerm").sendKeys(Keys.ARROW_DOWN);
        var highlighted = b.find("#problemTerm-listbox [aria-selected=true]");
        String first = highlighted.getAttribute("data-display");
        String code = highlighted.getAttribute("data-code");
        assertThat(b.find("#problemTerm").getAttribute("aria-activedescendant")).isEqualTo(highlighted.getAttribute("id"));
        b.find("#problemTerm").sendKeys(Keys.ENTER);
        assertThat(b.find("#problemTerm").getAttribute("value")).isEqualTo(first);
        assertThat(b.find("input[name=problemCode]").getAttribute("value")).isEqualTo(code);
        assertThat(b.find("#problemTerm").getAttribute("aria-expanded")).isEqualTo("false");

        b.type("#onsetDay", "3").type("#onsetMonth", "11").type("#onsetYear", "2026");
        b.click("#problem-form button[type=submit]");
        assertThat(b.path()).startsWith("/staff/patients/p1");
        assertThat(b.text("#problems")).contains(first);
        b.assertAccessible();

        b.click("#problems a.app-change-link");
        assertThat(b.text("h1")).isEqualTo("Change a problem");
        b.assertAccessible();
    }

    @Test
    void withoutScriptsTheServerListsTheMatchesToChooseFrom() {
        StaffBrowser b = page("/staff/patients/p1/problems/new");
        scripts(b, false);
        try {
            b.open("/staff/patients/p1/problems/new");
            assertThat(b.find("#problemTerm").getAttribute("role")).as("no combobox without scripts").isNull();
            b.type("#problemTerm", "heart-like organ disorder type");
            b.click("#problem-form button[type=submit]");
            assertThat(b.title()).startsWith("Error: Add a problem");
            assertThat(b.text(".nhsuk-error-summary")).contains("More than one problem matches");
            b.click("#problemChoice-0");
            String chosen = b.text("label[for=problemChoice-0]");
            b.click("#problem-form button[type=submit]");
            assertThat(b.path()).startsWith("/staff/patients/p1");
            assertThat(b.text("#problems")).contains(chosen);

            b.open("/staff/patients/p1/problems/new");
            b.type("#problemTerm", "Synthetic heart-like organ examination");
            b.click("#problem-form button[type=submit]");
            assertThat(b.text(".nhsuk-error-summary")).contains("is not a clinical finding");
        } finally {
            scripts(b, true);
        }
        b.assertAccessible();
    }

    @Test
    void theAllergyAndCarePlanFormsAreAccessibleWithAndWithoutErrors() {
        StaffBrowser b = page("/staff/patients/p1/allergies/new");
        b.assertAccessible();
        b.type("#substanceTerm", "Amox");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.present("#substanceTerm-listbox [role=option]"));
        b.find("#substanceTerm").sendKeys(Keys.ARROW_DOWN, Keys.ENTER);
        assertThat(b.find("#substanceTerm").getAttribute("value")).isEqualTo("Amoxicillin");
        b.click("#severity-moderate");
        b.click("#allergy-form button[type=submit]");
        assertThat(b.text(".nhsuk-error-summary")).contains("Enter the reaction the severity is for");
        b.assertAccessible();
        b.type("#reactionTerm", "Anaphylaxis");
        b.click("#allergy-form button[type=submit]");
        assertThat(b.text("#allergies")).contains("Amoxicillin");
        b.click("#allergies a.app-change-link");
        b.assertAccessible();

        b.open("/staff/patients/p1/care-plans/new");
        b.assertAccessible();
        b.click("#care-plan-form button[type=submit]");
        assertThat(b.title()).startsWith("Error: ");
        b.assertAccessible();
        b.type("#title", "Breathing and mobility").type("#categoryTerm", "Discharge care plan")
                .type("#startDay", "20").type("#startMonth", "11").type("#startYear", "2026");
        b.find("#categoryTerm").sendKeys(Keys.ESCAPE);
        b.click("#addresses");
        b.type("#activities", "Walk to the day room twice a day");
        b.click("#care-plan-form button[type=submit]");
        assertThat(b.text("#care-plans")).contains("Breathing and mobility");
        b.click("#care-plans a.app-change-link");
        b.assertAccessible();
    }

    @Test
    void theWardBoardChangesWithoutAReloadWhenAScoreIsRecorded() {
        StaffBrowser b = page("/staff/wards/ward-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> "events".equals(b.find("#board").getAttribute("data-live")));
        assertThat(b.present("tr[data-patient=p1] .nhsuk-tag")).isFalse();
        b.driver().executeScript("window.stillTheSamePage = true");

        String now = clock.instant().toString();
        assertThat(http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"survey"}]}],
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"1104051000000101"}]},
                 "subject":{"reference":"Patient/p1"},"effectiveDateTime":"%s",
                 "valueQuantity":{"value":3,"unit":"score","system":"http://unitsofmeasure.org","code":"{score}"},
                 "interpretation":[{"coding":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/news2-clinical-risk","code":"low"}]}]}"""
                .formatted(now), "application/fhir+json").status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).until(() -> b.present("tr[data-patient=p1] .nhsuk-tag"));
        assertThat(b.text("tr[data-patient=p1] .nhsuk-tag")).startsWith("3");
        assertThat(b.driver().executeScript("return window.stillTheSamePage === true")).isEqualTo(true);
        b.assertAccessible();
    }
}
