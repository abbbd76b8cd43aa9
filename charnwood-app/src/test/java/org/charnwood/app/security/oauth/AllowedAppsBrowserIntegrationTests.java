package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient or carer sees the apps they allowed to use the record, and can stop one: its tokens stop working at
 * once (access and refresh), the app must ask again, and both the answer and the stop are in the audit trail,
 * naming the patient. The page is checked by axe-core in Chromium; the flows run over HTTP as the app would.
 */
class AllowedAppsBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final String SCOPES = "openid fhirUser launch/patient patient/Observation.rs";

    private static String id() {
        return "aa-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private long lastAudit() {
        return jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
    }

    @Test
    void aPatientSeesTheAppTheyAllowedAndStoppingItEndsItsAccessAtOnce() throws Exception {
        String patient = id();
        String username = tokens.account(TestTokens.Caller.patient(patient));
        HttpClient app = TestTokens.browser();
        tokens.signIn(app, username, TestTokens.PASSWORD);
        long before = lastAudit();
        JsonNode token = tokens.authorisationCode(app, TestTokens.TEST_APP, SCOPES, null);
        String access = token.get("access_token").asString();
        assertThat(http.as(access).get("/fhir/Observation?patient=" + patient).status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from audit.event where seq > ? and subtype = 'app-access-allowed'"
                + " and patients like '%' || ? || '%'", Long.class, before, patient)).isOne();

        {
            StaffBrowser b = browser().forgetSession().open(AllowedAppsPages.PATH).signIn(username, TestTokens.PASSWORD);
            assertThat(b.landedOn()).isEqualTo(AllowedAppsPages.PATH);
            assertThat(b.text("h1")).isEqualTo("Apps you have allowed");
            assertThat(b.text("#app-" + TestTokens.TEST_APP)).contains(TestTokens.TEST_APP, "Allowed on",
                    "see your test results and observations");
            b.assertAccessible();

            b.click("#app-" + TestTokens.TEST_APP + " button");

            assertThat(b.text("#stopped")).contains(TestTokens.TEST_APP + " can no longer use your record");
            assertThat(b.present("#app-" + TestTokens.TEST_APP)).isFalse();
            assertThat(b.text("#no-apps")).contains("You have not allowed any apps");
            b.assertAccessible();
        }

        assertThat(http.as(access).get("/fhir/Observation?patient=" + patient).status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("select count(*) from auth.authorization where registered_client = ?"
                + " and principal = (select id::text from auth.account where username = ?)", Long.class,
                TestTokens.TEST_APP, username)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit.event where seq > ? and subtype = 'app-access-stopped'"
                + " and patients like '%' || ? || '%'", Long.class, before, patient)).isOne();
        // The app must ask again.
        String again = tokens.get(app, base() + "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&scope=openid&state=s&aud=" + base() + "/fhir"
                + "&code_challenge=" + TestTokens.s256("q".repeat(43)) + "&code_challenge_method=S256")
                .headers().firstValue("Location").orElseThrow();
        assertThat(TestTokens.isConsentPage(again)).as(again).isTrue();
    }

    @Test
    void stoppingAnAppEndsItsRefreshTokensToo() {
        String patient = id();
        HttpClient app = TestTokens.browser();
        tokens.signIn(app, tokens.account(TestTokens.Caller.patient(patient)), TestTokens.PASSWORD);
        String verifier = "r".repeat(43);
        String asked = tokens.get(app, base() + "/oauth2/authorize?response_type=code&client_id=" + CONFIDENTIAL_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&scope=openid+offline_access+patient/Observation.rs"
                + "&state=s&aud=" + base() + "/fhir&code_challenge=" + TestTokens.s256(verifier)
                + "&code_challenge_method=S256").headers().firstValue("Location").orElseThrow();
        String code = TestTokens.query(tokens.answerConsent(app, asked, true)).get("code");
        HttpResponse<String> issued = tokenRequest("grant_type=authorization_code&code=" + code + "&redirect_uri="
                + TestTokens.TEST_APP_REDIRECT + "&code_verifier=" + verifier);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String refreshToken = issued.body().replaceAll("(?s).*\"refresh_token\":\"([^\"]+)\".*", "$1");

        HttpResponse<String> stopped = tokens.postForm(app, base() + AllowedAppsPages.PATH + "/stop",
                Map.of("client_id", CONFIDENTIAL_APP, "_csrf", csrf(app)), true);
        assertThat(stopped.statusCode()).isEqualTo(302);

        HttpResponse<String> refreshed = tokenRequest("grant_type=refresh_token&refresh_token=" + refreshToken);
        assertThat(refreshed.statusCode()).isEqualTo(400);
        assertThat(refreshed.body()).contains("invalid_grant");
    }

    @Test
    void aStopPostedWithoutThePagesCsrfTokenChangesNothing() {
        String patient = id();
        HttpClient app = TestTokens.browser();
        tokens.signIn(app, tokens.account(TestTokens.Caller.patient(patient)), TestTokens.PASSWORD);
        String access = tokens.authorisationCode(app, TestTokens.TEST_APP, SCOPES, null).get("access_token").asString();

        HttpResponse<String> forged = tokens.postForm(app, base() + AllowedAppsPages.PATH + "/stop",
                Map.of("client_id", TestTokens.TEST_APP), true);

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(http.as(access).get("/fhir/Observation?patient=" + patient).status()).isEqualTo(200);
    }

    @Test
    void stoppingAnAppSomeoneElseAllowedChangesNothingForThem() {
        String patient = id();
        HttpClient owner = TestTokens.browser();
        tokens.signIn(owner, tokens.account(TestTokens.Caller.patient(patient)), TestTokens.PASSWORD);
        String access = tokens.authorisationCode(owner, TestTokens.TEST_APP, SCOPES, null).get("access_token").asString();
        HttpClient other = TestTokens.browser();
        tokens.signIn(other, tokens.account(TestTokens.Caller.patient(id())), TestTokens.PASSWORD);

        HttpResponse<String> stopped = tokens.postForm(other, base() + AllowedAppsPages.PATH + "/stop",
                Map.of("client_id", TestTokens.TEST_APP, "_csrf", csrf(other)), true);

        assertThat(stopped.statusCode()).isEqualTo(302);
        assertThat(stopped.headers().firstValue("Location").orElseThrow()).doesNotContain("stopped=");
        assertThat(http.as(access).get("/fhir/Observation?patient=" + patient).status()).isEqualTo(200);
    }

    @Test
    void staffHaveNoAppsPage() {
        HttpClient staff = TestTokens.browser();
        tokens.signIn(staff, tokens.account(TestTokens.Caller.staff("Practitioner/" + id(), AccessRole.REGISTERED_NURSE)),
                TestTokens.PASSWORD);

        assertThat(tokens.get(staff, base() + AllowedAppsPages.PATH).statusCode()).isEqualTo(403);
    }

    /** The CSRF token the apps page puts in its forms (the page has one form per app; the sign-out form always). */
    private String csrf(HttpClient browser) {
        String page = tokens.get(browser, base() + AllowedAppsPages.PATH).body();
        var m = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }

    /** A request to the token endpoint as the confidential app, authenticated with its secret. */
    private HttpResponse<String> tokenRequest(String form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (CONFIDENTIAL_APP + ":" + CONFIDENTIAL_APP_SECRET).getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
