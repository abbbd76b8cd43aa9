package org.charnwood.app.triage;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.StaffBrowser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Triage in a real browser: the service's nurse works the queue, makes a mistake on the reject form, accepts
 * the referral and finds the patient on the waiting list; a referrer answers a question on "My referrals".
 * Every page is checked by axe-core for WCAG 2.x A/AA problems.
 */
class TriageBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final TestTokens.Caller UCR_NURSE = TestTokens.Caller.staff(ReferralFixture.UCR_NURSE,
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller GP = TestTokens.Caller.staff(ReferralFixture.GP, AccessRole.CLINICIAN);

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void aTwoHourReferralAwaitsTriage() {
        ReferralFixture.load(http, clock.instant());
        relationships.forgetAll();
    }

    /** Opens a page as the person, signing out whoever was signed in and signing in on the real sign-in page. */
    private StaffBrowser as(TestTokens.Caller caller, String path) {
        return browser().openAs(path, tokens.account(caller), TestTokens.PASSWORD);
    }

    @Test
    void theServicesNurseTriagesAndAcceptsAReferral() {
        StaffBrowser b = as(UCR_NURSE, "/staff/services");
        assertThat(b.text("#services")).contains("Urgent Community Response (2-hour)").doesNotContain("District Nursing");
        b.assertAccessible();

        b.click("a[href='/staff/services/urgent-community-response/triage']");
        assertThat(b.text("#awaiting")).contains("MARSH, Edith", "2-hour urgent", "Near breach");
        b.assertAccessible();

        b.click("#awaiting a[href='/staff/referrals/ref-1']");
        assertThat(b.path()).isEqualTo("/staff/referrals/ref-1");
        assertThat(b.text("#answers")).contains("Fell at home overnight");
        b.assertAccessible();

        b.click("#reject");
        assertThat(b.text("#error-summary")).contains("Choose why the referral is being rejected");
        assertThat(b.title()).startsWith("Error: ");
        b.assertAccessible();

        b.type("#accept-note", "Visit within the hour").click("#accept");
        assertThat(b.path()).isEqualTo("/staff/services/urgent-community-response/triage");
        assertThat(b.text("#notice")).contains("Referral accepted");
        assertThat(b.present("#awaiting-empty")).isTrue();
        b.assertAccessible();

        b.click("a[href='/staff/services/urgent-community-response/waiting-list']");
        assertThat(b.text("#waiting")).contains("MARSH, Edith");
        assertThat(b.text("#compliance")).contains("2-hour urgent community response");
        b.assertAccessible();
    }

    @Test
    void theReferrerAnswersTheServicesQuestion() {
        StaffBrowser b = as(UCR_NURSE, "/staff/referrals/ref-1");
        b.type("#question", "Is she on anticoagulants?").click("#ask");
        assertThat(b.text("#on-hold")).contains("Is she on anticoagulants?");
        b.assertAccessible();

        b = as(GP, "/staff/referrals/mine");
        assertThat(b.text("#questions")).contains("Is she on anticoagulants?");
        assertThat(b.text("#referrals")).contains("Answer needed");
        b.assertAccessible();

        b.click("#questions a");
        assertThat(b.path()).isEqualTo("/staff/referrals/ref-1");
        b.assertAccessible();
        b.type("textarea[name='answer']", "Yes, apixaban 5 mg twice daily").click("form[action$='/answer'] button");
        assertThat(b.path()).isEqualTo("/staff/referrals/mine");
        assertThat(b.text("#notice")).contains("Answer sent");
        assertThat(b.present("#questions-empty")).isTrue();
        b.assertAccessible();
    }

    @Test
    void theServicesNurseConfirmsWhoSentASelfReferralBeforeAcceptingIt() {
        // As a self-referral arrives: on a provisional record made from the details given, the match named.
        ReferralFixture.put(http, "Patient/provisional-1", """
                {"resourceType":"Patient","id":"provisional-1","active":true,
                 "meta":{"tag":[{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/identity-status","code":"unverified"}]},
                 "name":[{"use":"official","family":"Marsh","given":["Edith"]}],"birthDate":"1941-03-15"}""");
        org.hl7.fhir.r4.model.ServiceRequest referral = http.get("/fhir/ServiceRequest/ref-1")
                .resource(org.hl7.fhir.r4.model.ServiceRequest.class);
        referral.getMeta().addTag(ReferralCodes.IDENTITY_STATUS, ReferralCodes.UNVERIFIED, null);
        referral.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/provisional-1"));
        referral.addExtension(ReferralCodes.POSSIBLE_IDENTITY_MATCH, new org.hl7.fhir.r4.model.Reference("Patient/p1"));
        assertThat(http.putJson("/fhir/ServiceRequest/ref-1", referral).status()).isEqualTo(200);
        relationships.forgetAll();

        StaffBrowser b = as(UCR_NURSE, "/staff/referrals/ref-1");
        assertThat(b.text("#identity-unconfirmed")).contains("self-referral");
        assertThat(b.text("#possible-match")).contains("MARSH, Edith", "999 000 0018");
        b.assertAccessible();

        b.click("#accept");
        assertThat(b.text("#error-summary")).contains("Confirm the person's identity before accepting");
        b.assertAccessible();

        b.click("#identity").click("#confirm-identity-button");
        assertThat(b.path()).isEqualTo("/staff/referrals/ref-1");
        assertThat(b.text("#notice")).contains("Identity confirmed");
        assertThat(b.present("#identity-form")).isFalse();
        assertThat(b.text("#referral-notes")).contains("Identity confirmed at triage");
        b.assertAccessible();

        b.click("#accept");
        assertThat(b.text("#notice")).contains("Referral accepted");
        assertThat(http.get("/fhir/ServiceRequest/ref-1").resource(org.hl7.fhir.r4.model.ServiceRequest.class)
                .getSubject().getReference()).isEqualTo("Patient/p1");
    }
}
