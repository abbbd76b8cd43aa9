package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The staff pages read and write under the access policy, for people signed in on the sign-in page: a nurse
 * on the patient's ward team sees the record summary; a nurse with no relationship sees the banner
 * (demographics) only, with the restricted marker and the offer of break-glass, and may not record
 * observations; once she breaks the glass with a reason, the summary is shown.
 */
class StaffPagesAccessIntegrationTests extends CharnwoodIntegrationTest {

    private static final TestTokens.Caller WARD_NURSE = TestTokens.Caller.staff("Practitioner/staff-001",
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller OTHER_NURSE = TestTokens.Caller.staff("Practitioner/staff-002",
            AccessRole.REGISTERED_NURSE);
    private static final TestTokens.Caller BOOKING = TestTokens.Caller.staff("Practitioner/staff-003",
            AccessRole.ADMIN_BOOKING);
    private static final TestTokens.Caller GOVERNANCE = TestTokens.Caller.staff("Practitioner/staff-004",
            AccessRole.INFORMATION_GOVERNANCE);
    private static final TestTokens.Caller ANALYST = TestTokens.Caller.staff("Practitioner/staff-005",
            AccessRole.ANALYST);

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void aPatientInABedOnAWard() {
        WardFixture.load(http);
        relationships.forgetAll();
    }

    private HttpClient signedIn(TestTokens.Caller nurse) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(nurse), TestTokens.PASSWORD);
        return browser;
    }

    private HttpResponse<String> page(HttpClient browser, String path) {
        HttpResponse<String> r = tokens.get(browser, "http://localhost:" + port + path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void aNurseWithACareRelationshipSeesTheRecordSummary() {
        String html = page(signedIn(WARD_NURSE), "/staff/patients/p1").body();
        assertThat(html).contains("MARSH, Edith", "Chronic obstructive pulmonary disease", "Salbutamol",
                "Discharge summary", "Penicillin");
        assertThat(html).doesNotContain("id=\"break-glass\"");
    }

    @Test
    void aNurseWithoutARelationshipSeesDemographicsOnlyAndMayNotRecordObservations() {
        HttpClient browser = signedIn(OTHER_NURSE);
        String html = page(browser, "/staff/patients/p1").body();
        assertThat(html).contains("MARSH, Edith", "999 000 0018", "LE11 3NP");
        assertThat(html).doesNotContain("Chronic obstructive pulmonary disease", "Salbutamol", "Discharge summary",
                "Penicillin");
        assertThat(html).contains("id=\"banner-restricted\"", "id=\"break-glass\"");

        // The form is not offered: she is told why instead.
        HttpResponse<String> form = tokens.get(browser, "http://localhost:" + port + "/staff/patients/p1/observations/new");
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains("You do not have a care relationship with this patient")
                .doesNotContain("Try again later", "id=\"respirationRate\"");
        HttpResponse<String> refused = tokens.postForm(browser,
                "http://localhost:" + port + "/staff/patients/p1/observations", Map.of("_csrf", csrf(html),
                        "respirationRate", "18", "oxygenSaturation", "97", "airOrOxygen", "air",
                        "systolicPressure", "124", "pulse", "72", "consciousness", "ALERT", "temperature", "36.8"),
                true);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("You do not have a care relationship with this patient",
                "Nothing you entered has been saved").doesNotContain("Try again later");
        assertThat(http.get("/fhir/Observation?subject=Patient/p1").bundle().getEntry()).isEmpty();
    }

    @Test
    void aFormPostedAfterEmergencyAccessEndedSaysSoAndShowsWhatWasTyped() {
        HttpClient browser = signedIn(OTHER_NURSE);
        String html = page(browser, "/staff/patients/p1").body();
        tokens.postForm(browser, "http://localhost:" + port + "/api/break-glass", Map.of("_csrf", csrf(html),
                "patientId", "p1", "reason", "Found collapsed on the corridor, no relationship recorded yet"), true);
        String form = page(browser, "/staff/patients/p1/problems/new").body();

        // Four hours pass while the form is open.
        jdbc.update("update access_break_glass set expires_at = granted_at where patient_id = 'p1'");
        relationships.forgetAll();
        HttpResponse<String> refused = tokens.postForm(browser, "http://localhost:" + port
                + "/staff/patients/p1/problems", Map.of("_csrf", csrf(form), "problemTerm", "Asthma",
                "clinicalStatus", "active"), true);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Your emergency access to this record has ended",
                "open the record in an emergency again", "What you entered (not saved)", "Asthma",
                "href=\"/staff/patients/p1\"").doesNotContain("Try again later");
        assertThat(http.get("/fhir/Condition?subject=Patient/p1").bundle().getEntry()).hasSize(1);

        HttpResponse<String> again = tokens.get(browser, "http://localhost:" + port + "/staff/patients/p1/problems/new");
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.body()).contains("Your emergency access to this record has ended");
    }

    @Test
    void theBannerOffersRecordingObservationsOnlyToThoseWhoMay() {
        String form = "href=\"/staff/patients/p1/observations/new\"";
        assertThat(page(signedIn(WARD_NURSE), "/staff/patients/p1/problems/new").body())
                .contains("id=\"banner-record-observations\"", form);
        for (TestTokens.Caller cannot : java.util.List.of(OTHER_NURSE, BOOKING)) {
            HttpClient browser = signedIn(cannot);
            assertThat(page(browser, "/staff/patients/p1").body()).as(cannot.fhirUser())
                    .contains("id=\"patient-banner\"").doesNotContain(form);
        }
    }

    @Test
    void aRoleThatMayNotRecordIsToldSoInsteadOfBeingOfferedTheForm() {
        HttpClient browser = signedIn(BOOKING);
        for (String form : java.util.List.of("problems/new", "allergies/new", "care-plans/new", "observations/new",
                "contacts/new")) {
            HttpResponse<String> r = tokens.get(browser, "http://localhost:" + port + "/staff/patients/p1/" + form);
            assertThat(r.statusCode()).as(form).isEqualTo(403);
            assertThat(r.body()).as(form).contains("Your role does not allow you to record this")
                    .doesNotContain("Try again later");
        }
    }

    /**
     * On the pages too: one key held down is not a reason, and a nurse who is also an information governance officer
     * is told beside the note that another officer must review her emergency access, which stays on the list.
     */
    @Test
    void aReasonMustReadAsOneAndNobodyReviewsTheirOwnEmergencyAccess() {
        TestTokens.Caller nurseAndGovernance = TestTokens.Caller.staff("Practitioner/staff-002",
                AccessRole.REGISTERED_NURSE, AccessRole.INFORMATION_GOVERNANCE);
        HttpClient browser = signedIn(nurseAndGovernance);
        String html = page(browser, "/staff/patients/p1").body();
        HttpResponse<String> meaningless = tokens.postForm(browser, "http://localhost:" + port + "/api/break-glass",
                Map.of("_csrf", csrf(html), "patientId", "p1", "reason", "x".repeat(40)), true);
        assertThat(meaningless.headers().firstValue("Location").orElseThrow())
                .endsWith("/staff/patients/p1?break-glass=invalid");
        assertThat(rows("access_break_glass")).isZero();

        tokens.postForm(browser, "http://localhost:" + port + "/api/break-glass", Map.of("_csrf", csrf(html),
                "patientId", "p1", "reason", "Found collapsed on the corridor, no relationship recorded yet"), true);
        String grantId = jdbc.queryForObject("select grant_id from access_break_glass", String.class);
        String review = page(browser, "/staff/emergency-access/" + grantId).body();
        HttpResponse<String> own = tokens.postForm(browser, "http://localhost:" + port + "/staff/emergency-access/"
                + grantId, Map.of("_csrf", csrf(review), "note", "Appropriate, I was there"), true);
        assertThat(own.statusCode()).isEqualTo(403);
        assertThat(own.body()).contains("another information governance officer must review it");
        assertThat(jdbc.queryForObject("select reviewed_at is null from access_break_glass", Boolean.class)).isTrue();

        HttpClient governance = signedIn(GOVERNANCE);
        String other = page(governance, "/staff/emergency-access/" + grantId).body();
        HttpResponse<String> reviewed = tokens.postForm(governance, "http://localhost:" + port
                + "/staff/emergency-access/" + grantId, Map.of("_csrf", csrf(other), "note", "Appropriate"), true);
        assertThat(reviewed.statusCode()).isEqualTo(302);
        assertThat(jdbc.queryForObject("select reviewed_at is not null from access_break_glass", Boolean.class))
                .isTrue();
    }

    @Test
    void anAccountLinkedToNoPractitionerIsToldItCannotBreakTheGlass() {
        HttpClient browser = signedIn(TestTokens.Caller.staff(null, AccessRole.REGISTERED_NURSE));
        String html = page(browser, "/staff/patients/p1").body();
        // Told before writing a reason, rather than offered a form the grant then refuses.
        assertThat(html).contains("id=\"break-glass-not-linked\"", "not linked to a practitioner record")
                .doesNotContain("id=\"break-glass-form\"");
        // A form sent all the same (from a page opened before the account was unlinked) is still refused.
        HttpResponse<String> refused = tokens.postForm(browser, "http://localhost:" + port + "/api/break-glass",
                Map.of("_csrf", csrf(html), "patientId", "p1", "reason",
                        "Found collapsed on the corridor, no relationship recorded yet"), true);
        assertThat(refused.headers().firstValue("Location").orElseThrow())
                .endsWith("/staff/patients/p1?break-glass=not-linked");
        assertThat(page(browser, "/staff/patients/p1?break-glass=not-linked").body())
                .contains("id=\"break-glass-not-linked\"", "not linked to a practitioner record")
                .doesNotContain("id=\"break-glass-form\"");
        assertThat(rows("access_break_glass")).isZero();
    }

    @Test
    void breakingTheGlassWithAReasonOpensTheRecordSummary() {
        HttpClient browser = signedIn(OTHER_NURSE);
        String html = page(browser, "/staff/patients/p1").body();

        HttpResponse<String> tooShort = tokens.postForm(browser, "http://localhost:" + port + "/api/break-glass",
                Map.of("_csrf", csrf(html), "patientId", "p1", "reason", "urgent"), true);
        assertThat(tooShort.statusCode()).isEqualTo(302);
        assertThat(tooShort.headers().firstValue("Location").orElseThrow()).endsWith("/staff/patients/p1?break-glass=invalid");
        assertThat(page(browser, "/staff/patients/p1?break-glass=invalid").body()).contains("id=\"break-glass-error\"",
                "in at least a sentence");
        HttpResponse<String> tooLong = tokens.postForm(browser, "http://localhost:" + port + "/api/break-glass",
                Map.of("_csrf", csrf(html), "patientId", "p1", "reason", "r".repeat(2001)), true);
        assertThat(tooLong.headers().firstValue("Location").orElseThrow()).endsWith("/staff/patients/p1?break-glass=too-long");
        assertThat(page(browser, "/staff/patients/p1?break-glass=too-long").body()).contains("2,000 characters or fewer");
        assertThat(rows("access_break_glass")).isZero();

        HttpResponse<String> granted = tokens.postForm(browser, "http://localhost:" + port + "/api/break-glass",
                Map.of("_csrf", csrf(html), "patientId", "p1",
                        "reason", "Found collapsed on the corridor, no relationship recorded yet"), true);
        assertThat(granted.statusCode()).isEqualTo(302);
        assertThat(granted.headers().firstValue("Location").orElseThrow()).endsWith("/staff/patients/p1");
        assertThat(rows("access_break_glass")).isEqualTo(1);

        String opened = page(browser, "/staff/patients/p1").body();
        assertThat(opened).contains("Chronic obstructive pulmonary disease", "Salbutamol", "Penicillin");
        assertThat(opened).doesNotContain("id=\"break-glass\"");
    }

    @Test
    void staffWhoMayNotSeeAllergiesAreToldTheyAreNotShownNeverThatThereAreNone() {
        for (TestTokens.Caller viewer : java.util.List.of(OTHER_NURSE, BOOKING)) {
            String html = page(signedIn(viewer), "/staff/patients/p1").body();
            assertThat(banner(html, "banner-allergies")).as(viewer.roles().toString())
                    .startsWith("Not shown").doesNotContain("None recorded", "Penicillin");
            assertThat(banner(html, "problems-none")).startsWith("Not shown");
            assertThat(banner(html, "allergies-none")).startsWith("Not shown");
            assertThat(html).doesNotContain("No allergies recorded", "No problems recorded", "No active medications");
            // Alerts are within the care relationship (decision 22): without one they are said not to be shown.
            assertThat(html).doesNotContain("Falls risk").contains("id=\"banner-alerts-hidden\"");
        }
        // A patient with no allergies at all reads the same to them: whether there are any is not theirs to know.
        aSecondPatientOfTheWardWithNothingRecorded();
        String other = page(signedIn(OTHER_NURSE), "/staff/patients/p2").body();
        assertThat(banner(other, "banner-allergies")).startsWith("Not shown");
    }

    @Test
    void staffWhoSeeTheWholeRecordAreToldWhenNoAllergiesAreRecorded() {
        aSecondPatientOfTheWardWithNothingRecorded();
        String html = page(signedIn(WARD_NURSE), "/staff/patients/p2").body();
        assertThat(banner(html, "banner-allergies")).isEqualTo("None recorded");
        assertThat(html).contains("No allergies recorded.").doesNotContain("id=\"banner-alerts-hidden\"");
        assertThat(banner(page(signedIn(WARD_NURSE), "/staff/patients/p1").body(), "banner-allergies"))
                .isEqualTo("Penicillin");
    }

    @Test
    void aVeryRestrictedAllergyIsNotShownAsNoAllergies() {
        aSecondPatientOfTheWardWithNothingRecorded();
        int status = http.put("/fhir/AllergyIntolerance/a2", """
                {"resourceType":"AllergyIntolerance","id":"a2","meta":{"security":[{"system":
                  "http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"V"}]},
                 "patient":{"reference":"Patient/p2"},
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
                 "code":{"text":"Latex"}}""", "application/fhir+json").status();
        assertThat(status).isIn(200, 201);
        String html = page(signedIn(WARD_NURSE), "/staff/patients/p2").body();
        assertThat(banner(html, "banner-allergies")).isEqualTo("None you can see – some allergies are not shown to you");
        assertThat(html).doesNotContain("Latex", "None recorded");
    }

    private void aSecondPatientOfTheWardWithNothingRecorded() {
        assertThat(http.put("/fhir/Patient/p2", """
                {"resourceType":"Patient","id":"p2","name":[{"family":"Fenn","given":["Arthur"]}],
                 "birthDate":"1950-01-02"}""", "application/fhir+json").status()).isIn(200, 201);
        assertThat(http.put("/fhir/EpisodeOfCare/e2", """
                {"resourceType":"EpisodeOfCare","id":"e2","status":"active","patient":{"reference":"Patient/p2"},
                 "team":[{"reference":"CareTeam/team-ward-a"}],"period":{"start":"2026-11-20"}}""",
                "application/fhir+json").status()).isIn(200, 201);
        relationships.forgetAll();
    }

    /** The text of the element with this id, tags removed and spaces collapsed. */
    private static String banner(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>(.*?)</(dd|p)>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("#" + id + " on the page").isTrue();
        return m.group(1).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").strip()
                .replace("&#39;", "'").replace("&amp;", "&");
    }

    @Test
    void theWardAndTeamListsAreTitledByWhatTheyList() {
        HttpClient browser = signedIn(WARD_NURSE);
        String wards = page(browser, "/staff/wards").body();
        assertThat(wards).contains("<title>Wards – Charnwood</title>", "<h1>Wards</h1>").doesNotContain("th:text");
        String teams = page(browser, "/staff/teams").body();
        assertThat(teams).contains("<title>Teams – Charnwood</title>", "<h1>Teams</h1>", "Ward A team")
                .doesNotContain("th:text", "<h1>Wards</h1>");
    }

    @Test
    void rolesThatMayNotSearchPatientsAreToldSoAndNotOfferedTheSearch() {
        HttpClient governance = signedIn(GOVERNANCE);
        HttpResponse<String> refused = tokens.get(governance, "http://localhost:" + port + "/staff/patients");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Your role cannot search patient records", "id=\"audit-instead\"",
                "href=\"/staff/audit\"").doesNotContain("id=\"by-nhs-number\"", "No patients match",
                ">Find a patient</a>");
        HttpResponse<String> posted = tokens.postForm(governance, "http://localhost:" + port + "/staff/patients",
                Map.of("_csrf", csrf(refused.body()), "by", "nhs-number", "nhsNumber", "9990000018"), true);
        assertThat(posted.statusCode()).isEqualTo(403);
        assertThat(posted.body()).contains("Your role cannot search patient records").doesNotContain("No patients match");
        HttpResponse<String> home = tokens.get(governance, "http://localhost:" + port + "/staff");
        assertThat(home.statusCode()).isEqualTo(302);
        assertThat(home.headers().firstValue("Location").orElseThrow()).endsWith("/staff/audit");

        HttpResponse<String> analyst = tokens.get(signedIn(ANALYST), "http://localhost:" + port + "/staff/patients");
        assertThat(analyst.statusCode()).isEqualTo(403);
        assertThat(analyst.body()).contains("Your role cannot search patient records")
                .doesNotContain("id=\"audit-instead\"", ">Find a patient</a>", ">My caseload</a>");
    }

    @Test
    void theSearchByNhsNumberIsPostedSoTheNumberStaysOutOfTheAddress() {
        HttpClient browser = signedIn(BOOKING);
        String form = page(browser, "/staff/patients").body();
        assertThat(form).contains(">Find a patient</a>");
        Matcher byNumber = Pattern.compile("<form[^>]*id=\"by-nhs-number\"[^>]*>").matcher(form);
        assertThat(byNumber.find()).isTrue();
        assertThat(byNumber.group()).contains("method=\"post\"");
        HttpResponse<String> found = tokens.postForm(browser, "http://localhost:" + port + "/staff/patients",
                Map.of("_csrf", csrf(form), "by", "nhs-number", "nhsNumber", "999 000 0018"), true);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("1 patient found", "MARSH, Edith");
        assertThat(found.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        // Without its token the search is refused, as any other form.
        assertThat(tokens.postForm(browser, "http://localhost:" + port + "/staff/patients",
                Map.of("by", "nhs-number", "nhsNumber", "9990000018"), true).statusCode()).isEqualTo(403);
    }

    @Test
    void everyResponseSaysToSendNoReferrer() {
        HttpClient browser = signedIn(WARD_NURSE);
        for (String path : java.util.List.of("/staff/patients", "/signin", "/fhir/metadata", "/staff/no-such-page",
                "/nhsuk/nhsuk-frontend.min.css")) {
            HttpResponse<String> r = tokens.get(browser, "http://localhost:" + port + path);
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
        }
    }

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }
}
