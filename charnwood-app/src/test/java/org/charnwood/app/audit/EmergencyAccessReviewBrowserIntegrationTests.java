package org.charnwood.app.audit;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.IdentityConfirmationReview;
import org.charnwood.app.security.IdentityConfirmationReviews;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An information governance officer reviews emergency access in a real browser: finds it from the menu, reads the
 * reason beside what the member of staff did under it, is told what to fix when the note is missing, and records
 * the review; every page checked by axe-core. Identity confirmations at triage are on the same list, labelled, and
 * reviewed the same way. Other staff are refused the pages and do not see them in the menu.
 */
class EmergencyAccessReviewBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final TestTokens.Caller ON_CALL = TestTokens.Caller.staff("Practitioner/ea-doctor",
            AccessRole.CLINICIAN).scopes("user/*.cruds", "charnwood/break-glass");
    private static final TestTokens.Caller GOVERNANCE = TestTokens.Caller.staff("Practitioner/ea-ig",
            AccessRole.INFORMATION_GOVERNANCE);
    private static final TestTokens.Caller NURSE = TestTokens.Caller.staff("Practitioner/ea-nurse",
            AccessRole.REGISTERED_NURSE);
    private static final String REASON = "Found collapsed in reception, no history to hand";

    @Autowired
    FhirRepository repository;
    @Autowired
    IdentityConfirmationReviews confirmations;

    private String grantId;

    @BeforeEach
    void aDoctorBreaksTheGlass() {
        Practitioner doctor = new Practitioner();
        doctor.setId("ea-doctor");
        doctor.addName(new HumanName().setFamily("Okafor").addGiven("Chidi").addPrefix("Dr"));
        Patient patient = new Patient();
        patient.setId("ea-patient");
        patient.addName(new HumanName().setFamily("Marsh").addGiven("Edith"));
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000018");
        Observation pulse = new Observation();
        pulse.setId("ea-pulse");
        pulse.setStatus(Observation.ObservationStatus.FINAL);
        pulse.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        pulse.setSubject(new Reference("Patient/ea-patient"));
        repository.inTransaction(s -> {
            s.update("Practitioner", "ea-doctor", doctor, null);
            s.update("Patient", "ea-patient", patient, null);
            s.update("Observation", "ea-pulse", pulse, null);
            return null;
        });
        FhirHttp doctorApi = http.as(tokens.bearer(ON_CALL));
        FhirHttp.Response granted = doctorApi.post("/api/break-glass",
                "{\"patientId\":\"ea-patient\",\"reason\":\"" + REASON + "\"}", "application/json");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        grantId = jdbc.queryForObject("select grant_id from access_break_glass where patient_id = 'ea-patient'",
                String.class);
        assertThat(doctorApi.get("/fhir/Observation/ea-pulse").status()).isEqualTo(200);
    }

    @Test
    void anInformationGovernanceOfficerReviewsEmergencyAccessFromTheMenu() {
        StaffBrowser b = browser().openAs("/staff/caseload", tokens.account(GOVERNANCE), TestTokens.PASSWORD);
        // The menu is longer than the window is wide: the link may be under "More".
        if (!b.find("#nav-emergency-access").isDisplayed()) {
            b.click("#toggle-menu");
        }
        b.click("#nav-emergency-access");
        assertThat(b.text("h1")).isEqualTo("Emergency access to review");
        assertThat(b.text("#grants")).contains("MARSH, Edith", "999 000 0018", "Dr Chidi Okafor", REASON);
        b.assertAccessible();

        b.click("#grants a");
        assertThat(b.text("h1")).isEqualTo("Review emergency access");
        assertThat(b.text("#grant")).contains("MARSH, Edith", REASON);
        assertThat(b.text("#done")).contains("Viewed the patient's observations and measurements",
                "Used emergency access to open the patient's record");
        b.assertAccessible();

        b.click("#review-form button");
        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.text("#error-summary")).contains("Enter a review note");
        b.assertAccessible();

        b.type("#note", "Appropriate: the patient could not give a history").click("#review-form button");
        assertThat(b.path()).isEqualTo("/staff/emergency-access");
        assertThat(b.text("#notice")).contains("Review recorded for MARSH, Edith");
        assertThat(b.text("#none")).isEqualTo("There is no emergency access to review.");
        b.click("#show-reviewed");
        assertThat(b.text("#grants")).contains("MARSH, Edith", "Appropriate: the patient could not give a history");
        b.assertAccessible();
        assertThat(jdbc.queryForObject("select reviewed_by from access_break_glass where grant_id = ?",
                String.class, grantId)).isNotNull();
    }

    /**
     * Each grant says when the access ended, or ends while in force, on the list and on its page, in the trust's time
     * zone: a grant of a July afternoon ended at 18:05 on the ward's clock, which UTC would call 17:05.
     */
    @Test
    void theListAndEachGrantSayWhenTheAccessEndedOrEnds() {
        jdbc.update("""
                insert into access_break_glass (grant_id, subject, fhir_user, patient_id, reason, granted_at, expires_at)
                values ('ea-summer', 'ea-doctor-account', 'Practitioner/ea-doctor', 'ea-patient', ?,
                        '2026-07-01T13:05:00Z', '2026-07-01T17:05:00Z')""", REASON);
        String endsNow = java.time.format.DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", java.util.Locale.UK)
                .format(jdbc.queryForObject("select expires_at from access_break_glass where grant_id = ?",
                        java.sql.Timestamp.class, grantId).toInstant().atZone(java.time.ZoneId.of("Europe/London")));

        StaffBrowser b = browser().openAs("/staff/emergency-access", tokens.account(GOVERNANCE), TestTokens.PASSWORD);
        assertThat(b.text("#grants thead")).contains("Opened", "Ended or ends");
        // Oldest first: the summer grant, ended; then the one opened today, in force.
        assertThat(b.text("#grants tbody tr:nth-child(1)")).contains("1 Jul 2026, 14:05", "Ended 1 Jul 2026, 18:05")
                .doesNotContain("In force");
        assertThat(b.text("#grants tbody tr:nth-child(2)")).contains("Ends " + endsNow, "In force");
        b.assertAccessible();

        b.click("#grants tbody tr:nth-child(1) a");
        assertThat(b.text("#grant")).contains("Opened", "1 Jul 2026, 14:05", "Ended", "1 Jul 2026, 18:05");
        assertThat(b.text("#ends")).isEqualTo("1 Jul 2026, 18:05");
        b.assertAccessible();

        b.open("/staff/emergency-access/" + grantId);
        assertThat(b.text("#grant")).contains("Ends");
        assertThat(b.text("#ends")).contains(endsNow, "In force");
    }

    @Test
    void anInformationGovernanceOfficerReviewsAnIdentityConfirmationOnTheSameList() throws Exception {
        Patient asha = new Patient();
        asha.setId("ic-patient");
        asha.addName(new HumanName().setFamily("Patel").addGiven("Asha"));
        asha.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000026");
        Practitioner triager = new Practitioner();
        triager.setId("ic-triager");
        triager.addName(new HumanName().setFamily("Hughes").addGiven("Megan"));
        repository.inTransaction(s -> {
            s.update("Patient", "ic-patient", asha, null);
            s.update("Practitioner", "ic-triager", triager, null);
            // As triage puts it on the list, in the transaction that links the referral.
            confirmations.add(s.connection(), new IdentityConfirmationReview("ic-1", "ic-referral", "CHW-ABCD-EFGH",
                    "ic-patient", "ic-provisional", IdentityConfirmationReview.MATCHED,
                    "Same as the record: date of birth 1991-04-03, surname Patel, NHS number 999 000 0026",
                    "ic-triager-account", "Practitioner/ic-triager", Instant.now(), null, null, null));
            return null;
        });

        StaffBrowser b = browser().openAs("/staff/emergency-access", tokens.account(GOVERNANCE), TestTokens.PASSWORD);
        assertThat(b.text("#grants")).contains("MARSH, Edith");
        assertThat(b.text("#identity-confirmations")).contains("Identity confirmation", "CHW-ABCD-EFGH",
                "PATEL, Asha", "999 000 0026", "Megan Hughes", "NHS number 999 000 0026");
        b.assertAccessible();

        b.click("#identity-confirmations a");
        assertThat(b.text("h1")).isEqualTo("Review identity confirmation");
        assertThat(b.text("#confirmation")).contains("PATEL, Asha", "CHW-ABCD-EFGH", "Megan Hughes",
                "The record the details matched when the referral came in", "surname Patel");
        b.assertAccessible();

        b.click("#review-form button");
        assertThat(b.title()).startsWith("Error: ");
        assertThat(b.text("#error-summary")).contains("Enter a review note");
        b.assertAccessible();

        b.type("#note", "Appropriate: the triager called the person back").click("#review-form button");
        assertThat(b.path()).isEqualTo("/staff/emergency-access");
        assertThat(b.text("#notice")).contains("identity confirmation recorded for PATEL, Asha");
        assertThat(b.text("#no-identity-confirmations")).isEqualTo("There is no identity confirmation to review.");
        assertThat(b.text("#grants")).contains("MARSH, Edith");
        b.click("#show-reviewed");
        assertThat(b.text("#identity-confirmations")).contains("PATEL, Asha",
                "Appropriate: the triager called the person back");
        b.assertAccessible();
    }

    /** An officer who confirmed an identity at triage is told beside the note that another must review it: 403. */
    @Test
    void anOfficerMayNotReviewTheirOwnIdentityConfirmation() {
        repository.inTransaction(s -> {
            confirmations.add(s.connection(), new IdentityConfirmationReview("ic-own", "ic-referral", "CHW-WXYZ-KLMN",
                    "ea-patient", "ic-provisional", IdentityConfirmationReview.MATCHED, "Same as the record",
                    "ic-own-account", "Practitioner/ea-ig", Instant.now(), null, null, null));
            return null;
        });
        HttpClient officer = TestTokens.browser();
        tokens.signIn(officer, tokens.account(GOVERNANCE), TestTokens.PASSWORD);
        String page = "http://localhost:" + port + "/staff/emergency-access/identity-confirmations/ic-own";
        String html = tokens.get(officer, page).body();
        HttpResponse<String> own = tokens.postForm(officer, page,
                java.util.Map.of("_csrf", TestTokens.csrf(html), "note", "Appropriate, I called them back"), true);

        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("another information governance officer must review it");
        assertThat(jdbc.queryForObject("select reviewed_at is null from access_identity_confirmation"
                + " where confirmation_id = 'ic-own'", Boolean.class)).isTrue();
    }

    @Test
    void otherStaffAreRefusedTheReviewAndDoNotSeeItInTheMenu() {
        HttpClient nurse = TestTokens.browser();
        tokens.signIn(nurse, tokens.account(NURSE), TestTokens.PASSWORD);
        String base = "http://localhost:" + port;
        assertThat(tokens.get(nurse, base + "/staff/emergency-access").statusCode()).isEqualTo(403);
        assertThat(tokens.get(nurse, base + "/staff/emergency-access/" + grantId).statusCode()).isEqualTo(403);
        HttpResponse<String> caseload = tokens.get(nurse, base + "/staff/caseload");
        assertThat(caseload.body()).doesNotContain("nav-emergency-access");
        assertThat(jdbc.queryForObject("select reviewed_at is null from access_break_glass where grant_id = ?",
                Boolean.class, grantId)).isTrue();
    }

    @Test
    void theReviewPagesRecordsNameThePatientsTheyShow() {
        HttpClient officer = TestTokens.browser();
        tokens.signIn(officer, tokens.account(GOVERNANCE), TestTokens.PASSWORD);
        long before = jdbc.queryForObject("select max(seq) from audit.event", Long.class);
        String base = "http://localhost:" + port;
        assertThat(tokens.get(officer, base + "/staff/emergency-access").statusCode()).isEqualTo(200);
        assertThat(tokens.get(officer, base + "/staff/emergency-access/" + grantId).statusCode()).isEqualTo(200);

        assertThat(jdbc.queryForList("select patients from audit.event where seq > ? and subtype = 'page'"
                + " and who = 'Practitioner/ea-ig'", String.class, before)).containsExactly("ea-patient", "ea-patient");
    }
}
