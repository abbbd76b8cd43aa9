package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ward patient of {@link WardFixture}, whose open episode (started 30 days ago, managed by the trust, cared
 * for by the ward team of nurse {@code Practitioner/staff-001}) came from an active referral: what the contact and
 * discharge pages work on. Also the SNOMED CT concepts of the bundled synthetic sample the tests type.
 */
final class ContactFixture {

    static final TestTokens.Caller WARD_NURSE = TestTokens.Caller.staff("Practitioner/staff-001",
            AccessRole.REGISTERED_NURSE);
    static final TestTokens.Caller OTHER_NURSE = TestTokens.Caller.staff("Practitioner/staff-002",
            AccessRole.REGISTERED_NURSE);

    /** A clinical finding of the synthetic sample (inside the reason, outcome and discharge constraints). */
    static final String FINDING = "10109999999103";
    static final String FINDING_TERM = "Synthetic heart-like organ disorder type alpha";
    /** Another finding: the outcome and discharge reason the tests choose. */
    static final String RAISED_MARKER = "10229999999103";
    static final String RAISED_MARKER_TERM = "Synthetic raised marker";
    /** A body structure: outside every constraint. */
    static final String BODY_STRUCTURE = "10039999999106";

    private ContactFixture() {
    }

    static LocalDate episodeStart(Instant now) {
        return LocalDate.ofInstant(now, ZoneId.of("Europe/London")).minusDays(30);
    }

    static void load(FhirHttp http, Instant now) {
        WardFixture.load(http);
        put(http, "Organization/trust-r9c", """
                {"resourceType":"Organization","id":"trust-r9c","name":"Charnwood Community and Mental Health NHS Trust"}""");
        put(http, "ServiceRequest/r1", """
                {"resourceType":"ServiceRequest","id":"r1","status":"active","intent":"order",
                 "subject":{"reference":"Patient/p1"},"authoredOn":"%s"}""".formatted(episodeStart(now).minusDays(3)));
        put(http, "EpisodeOfCare/e1", """
                {"resourceType":"EpisodeOfCare","id":"e1","status":"active","patient":{"reference":"Patient/p1"},
                 "type":[{"text":"Inpatient care"}],"team":[{"reference":"CareTeam/team-ward-a","display":"Ward A team"}],
                 "managingOrganization":{"reference":"Organization/trust-r9c"},
                 "referralRequest":[{"reference":"ServiceRequest/r1"}],
                 "period":{"start":"%s"}}""".formatted(episodeStart(now)));
    }

    static void put(FhirHttp http, String path, String json) {
        int status = http.put("/fhir/" + path, json, "application/fhir+json").status();
        assertThat(status).as("PUT " + path).isIn(200, 201);
    }

    static HttpClient signedIn(TestTokens tokens, TestTokens.Caller nurse) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(nurse), TestTokens.PASSWORD);
        return browser;
    }

    static String csrf(String html) {
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("a CSRF token on the page").isTrue();
        return m.group(1);
    }

    static String body(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body();
    }
}
