package org.charnwood.app.referrals;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.StaffBrowser;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Making a referral in a real browser: a nurse refers a patient from the staff page (field errors, a better
 * service), a person refers themselves from the public directory, and an administrator publishes a new pathway
 * version. Every page is checked by axe-core for WCAG 2.x A/AA problems.
 */
class ReferralBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final TestTokens.Caller NURSE = TestTokens.Caller.staff("Practitioner/staff-001",
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller ADMINISTRATOR = TestTokens.Caller.staff("Practitioner/staff-900",
            AccessRole.SYSTEM_ADMINISTRATOR);

    @Autowired
    PathwayLoader loader;

    @BeforeEach
    void pathwaysStaffAndAPatientWithHeartFailure() {
        loader.loadShipped();
        for (String id : new String[] {"staff-001", "staff-900"}) {
            Practitioner p = new Practitioner();
            p.setId(id);
            p.addName(new HumanName().setFamily("Nightingale").addGiven("Flo"));
            assertThat(http.putJson("/fhir/Practitioner/" + id, p).status()).isIn(200, 201);
        }
        ReferralFixture fixture = new ReferralFixture(http);
        fixture.practices();
        fixture.patient("p1", LocalDate.of(1950, 5, 17), "LE1 3AB", "gp-c82901");
        fixture.condition("p1", "84114007", "Heart failure");
        // The nurse cares for p1: only those who may read the record make referrals checked against it.
        assertThat(http.putJson("/fhir/CareTeam/p1-team", new org.hl7.fhir.r4.model.CareTeam()
                .setStatus(org.hl7.fhir.r4.model.CareTeam.CareTeamStatus.ACTIVE)
                .setSubject(new org.hl7.fhir.r4.model.Reference("Patient/p1"))
                .addParticipant(new org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent()
                        .setMember(new org.hl7.fhir.r4.model.Reference("Practitioner/staff-001")))
                .setId("p1-team")).status()).isIn(200, 201);
    }

    private StaffBrowser staffPage(TestTokens.Caller caller, String path) {
        StaffBrowser b = browser().forgetSession().open(path);
        assertThat(b.path()).startsWith("/signin");
        b.signIn(tokens.account(caller), TestTokens.PASSWORD);
        assertThat(b.landedOn()).isEqualTo(path);
        return b;
    }

    @Test
    void aNurseMakesAReferralAfterFixingFieldErrorsAndTakingTheBetterService() {
        StaffBrowser b = staffPage(NURSE, "/staff/patients/p1/referrals/new");
        assertThat(b.text("#patient-name")).contains("Patel");
        b.assertAccessible();

        b.click("label[for='service-respiratory']").click("#choose-service button");
        assertThat(b.text("h1")).isEqualTo("Community Respiratory Service");
        b.assertAccessible();

        b.click("#referral-form button");
        assertThat(b.text(".nhsuk-error-summary")).contains("Select how urgent the referral is", "MRC dyspnoea",
                "Reason for referral");
        assertThat(b.present("#item-mrc-dyspnoea-error")).isTrue();
        b.assertAccessible();

        b.click("label[for='priority']").find("#source").sendKeys("GP practice");
        b.click("label[for='item-mrc-dyspnoea-3']").click("label[for='item-home-oxygen-no']")
                .type("#item-reason", "Breathless walking to the shops").click("label[for='item-consent']")
                .click("#referral-form button");
        assertThat(b.text(".nhsuk-error-summary")).contains("COPD or asthma");
        assertThat(b.text("#better-service")).contains("Community Heart Failure Service");
        b.assertAccessible();

        b.click("#better-service a");
        assertThat(b.text("h1")).isEqualTo("Community Heart Failure Service");
        b.click("label[for='priority']").find("#source").sendKeys("GP practice");
        b.type("#item-ejection-fraction", "thirty").type("#item-reason", "Breathless, ankle swelling")
                .click("label[for='item-consent']").click("#referral-form button");
        assertThat(b.text("#item-ejection-fraction-error")).contains("whole number");
        b.assertAccessible();

        b.type("#item-ejection-fraction", "30").type("#item-echo-date", "14").type("#item-echo-date-month", "10")
                .type("#item-echo-date-year", "2026").click("#referral-form button");
        assertThat(b.path()).isEqualTo("/staff/patients/p1/referrals/made");
        assertThat(b.text("#reference")).matches("CHW-[0-9A-Z]{4}-[0-9A-Z]{4}");
        b.assertAccessible();
        assertThat(http.get("/fhir/ServiceRequest?performer=HealthcareService/heart-failure").bundle().getEntry())
                .singleElement().satisfies(e -> assertThat(((org.hl7.fhir.r4.model.ServiceRequest) e.getResource())
                        .getRequester().getReference()).isEqualTo("Practitioner/staff-001"));
    }

    @Test
    void aPersonFindsAServiceAndRefersThemselves() {
        StaffBrowser b = browser().forgetSession().open("/services");
        b.assertAccessible();
        b.type("#q", "anxiety").click("#directory-search button");
        assertThat(b.text("#maincontent")).contains("NHS Talking Therapies");
        b.assertAccessible();

        b.click("a[href='/services/talking-therapies']");
        assertThat(b.text("h1")).isEqualTo("NHS Talking Therapies");
        b.assertAccessible();

        b.click("#refer-yourself");
        b.assertAccessible();
        b.click("#self-referral-form button");
        assertThat(b.text(".nhsuk-error-summary")).contains("Enter your first name", "Enter your date of birth",
                "What would you like help with?");
        b.assertAccessible();

        b.type("#givenName", "Sam").type("#familyName", "Okafor").type("#dob", "3").type("#dob-month", "4")
                .type("#dob-year", "1991").type("#nhsNumber", "943 476 5918").type("#postcode", "LE2 7AB")
                .type("#phone", "07700 900982").click("label[for='item-help-with-worry']")
                .type("#item-feelings", "Worrying all the time").click("label[for='item-contact-preference']")
                .click("#self-referral-form button");
        assertThat(b.text("#nhsNumber-error")).contains("check digit");
        b.assertAccessible();

        b.type("#nhsNumber", "").click("#self-referral-form button");
        assertThat(b.path()).isEqualTo("/self-referral/confirmation");
        assertThat(b.text("#reference")).matches("CHW-[0-9A-Z]{4}-[0-9A-Z]{4}");
        b.assertAccessible();
    }

    @Test
    void anAdministratorPublishesANewPathwayVersionAfterAnInvalidOneIsRefused() {
        StaffBrowser b = staffPage(ADMINISTRATOR, "/staff/admin/pathways");
        b.assertAccessible();
        b.click("a[href='/staff/admin/pathways/heart-failure']");
        b.assertAccessible();
        String definition = b.find("#definition").getAttribute("value");

        b.type("#definition", definition.replace("<< 84114007", "<< 84114007 OR")).click("#publish-form button");
        assertThat(b.text(".nhsuk-error-summary")).contains("Not valid SNOMED CT ECL");
        b.assertAccessible();

        b.type("#definition", definition.replace("\"value\": 14", "\"value\": 10")).click("#publish-form button");
        assertThat(b.text("#published")).contains("Version 2 is published");
        assertThat(b.text("h1")).contains("version 2");
        b.assertAccessible();

        b.forgetSession();
        StaffBrowser nurse = staffPage(NURSE, "/staff/patients/p1/referrals/new");
        nurse.open("/staff/admin/pathways");
        assertThat(nurse.text("body")).doesNotContain("Referral pathways");
    }
}
