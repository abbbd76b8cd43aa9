package org.charnwood.app.audit;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An information governance officer reads the audit trail in a real browser: who accessed a patient's record
 * (found by NHS number) and what a member of staff did (found by name), with the error pattern for a mistyped
 * number; every page checked by axe-core. Other staff are refused, and the officer's own reading is recorded
 * naming the patients it showed.
 */
class AuditReviewBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final TestTokens.Caller NURSE = TestTokens.Caller.staff("Practitioner/ar-nurse",
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller GOVERNANCE = TestTokens.Caller.staff("Practitioner/ar-ig",
            AccessRole.INFORMATION_GOVERNANCE);

    @Autowired
    FhirRepository repository;
    @Autowired
    org.charnwood.app.security.accounts.AccountStore accounts;
    @Autowired
    org.springframework.security.crypto.password.PasswordEncoder passwords;

    @BeforeEach
    void aNurseReadsARecord() {
        Practitioner nurse = new Practitioner();
        nurse.setId("ar-nurse");
        nurse.addName(new HumanName().setFamily("Nightingale").addGiven("Florence"));
        Patient patient = new Patient();
        patient.setId("ar-patient");
        patient.addName(new HumanName().setFamily("Seacole").addGiven("Mary"));
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000026");
        repository.inTransaction(s -> {
            s.update("Practitioner", "ar-nurse", nurse, null);
            s.update("Patient", "ar-patient", patient, null);
            return null;
        });
        FhirHttp api = http.as(tokens.bearer(NURSE));
        assertThat(api.get("/fhir/Patient/ar-patient").status()).isEqualTo(200);
    }

    @Test
    void anOfficerFindsWhoAccessedARecordAndWhatAPersonDid() {
        StaffBrowser b = browser().openAs("/staff/audit", tokens.account(GOVERNANCE), TestTokens.PASSWORD);
        assertThat(b.text("h1")).isEqualTo("Audit trail");
        b.assertAccessible();

        b.type("#nhsNumber", "999 000 0027").click("#by-patient button");
        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.text("#error-summary")).contains("check digit");
        b.assertAccessible();

        b.type("#nhsNumber", "999 000 0026").click("#by-patient button");
        assertThat(b.text("h1")).isEqualTo("Access to the record of SEACOLE, Mary, NHS number 999 000 0026");
        assertThat(b.text("#trail")).contains("Florence Nightingale", "Nurse", "Viewed the patient's personal details");
        b.assertAccessible();

        b.open("/staff/audit").type("#name", "Nightingale").click("#by-staff button");
        assertThat(b.text("h1")).isEqualTo("What Florence Nightingale did");
        assertThat(b.text("#trail")).contains("Viewed the patient's personal details", "SEACOLE, Mary");
        b.assertAccessible();
    }

    @Test
    void staffWithNoPractitionerRecordAreFoundByTheirUserName() {
        accounts.save(new org.charnwood.app.security.accounts.Account("ar-admin", "ar.admin",
                org.charnwood.app.security.Requester.Kind.STAFF, "Booking clerk", passwords.encode(TestTokens.PASSWORD),
                null, null, null, java.util.Set.of(AccessRole.ADMIN_BOOKING), "RT5", null, false, 0, null, true));
        tokens.signIn(TestTokens.browser(), "ar.admin", TestTokens.PASSWORD);

        StaffBrowser b = browser().openAs("/staff/audit", tokens.account(GOVERNANCE), TestTokens.PASSWORD);
        b.type("#name", "ar.admin").click("#by-staff button");
        assertThat(b.text("h1")).isEqualTo("What Booking clerk (ar.admin) did");
        assertThat(b.text("#trail")).contains("Signed in");
        b.assertAccessible();
    }

    @Test
    void otherStaffAreRefusedAndTheOfficersReadingIsRecorded() {
        HttpClient nurse = TestTokens.browser();
        tokens.signIn(nurse, tokens.account(NURSE), TestTokens.PASSWORD);
        String base = "http://localhost:" + port;
        assertThat(tokens.get(nurse, base + "/staff/audit").statusCode()).isEqualTo(403);
        assertThat(tokens.postForm(nurse, base + "/staff/audit/patient", java.util.Map.of("nhsNumber", "9990000026",
                "_csrf", TestTokens.csrf(tokens.get(nurse, base + "/signin/done").body())), true).statusCode())
                .isEqualTo(403);

        HttpClient officer = TestTokens.browser();
        tokens.signIn(officer, tokens.account(GOVERNANCE), TestTokens.PASSWORD);
        long before = jdbc.queryForObject("select max(seq) from audit.event", Long.class);
        HttpResponse<String> trail = tokens.submitFollowing(officer, base + "/staff/audit",
                base + "/staff/audit/patient", java.util.Map.of("nhsNumber", "9990000026"));
        assertThat(trail.statusCode()).isEqualTo(200);
        // The NHS number is posted, never put in an address: the trail's address names the record by its id.
        assertThat(trail.uri().toString()).endsWith("/staff/audit/patients/ar-patient").doesNotContain("9990000026");
        assertThat(tokens.get(officer, base + "/staff/audit/staff?person=Practitioner/ar-nurse").statusCode())
                .isEqualTo(200);
        assertThat(jdbc.queryForList("select patients from audit.event where seq > ? and subtype = 'page'"
                + " and who = 'Practitioner/ar-ig'", String.class, before)).containsExactly("ar-patient", "ar-patient");
    }
}
