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

        String form = page(browser, "/staff/patients/p1/observations/new").body();
        HttpResponse<String> refused = tokens.postForm(browser,
                "http://localhost:" + port + "/staff/patients/p1/observations", Map.of("_csrf", csrf(form),
                        "respirationRate", "18", "oxygenSaturation", "97", "airOrOxygen", "air",
                        "systolicPressure", "124", "pulse", "72", "consciousness", "ALERT", "temperature", "36.8"),
                true);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(http.get("/fhir/Observation?subject=Patient/p1").bundle().getEntry()).isEmpty();
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

    private static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }
}
