package org.charnwood.app.security.oauth;

import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient or carer is asked before a patient-facing app may use their record: once per app and set of scopes,
 * again when the app asks for more; "Do not allow" gives the app {@code access_denied}. The page is checked by
 * axe-core in Chromium; the flows run as the app and the person's browser would, over HTTP.
 */
class AppConsentBrowserIntegrationTests extends BrowserIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SCOPES = "openid fhirUser launch/patient patient/Observation.rs patient/MedicationRequest.rs";

    private String base() {
        return "http://localhost:" + port;
    }

    private String authorizeUrl(String scope, String state, String verifier) {
        return "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + enc(TestTokens.TEST_APP_REDIRECT) + "&scope=" + enc(scope) + "&state=" + state
                + "&aud=" + enc(base() + "/fhir") + "&code_challenge=" + TestTokens.s256(verifier)
                + "&code_challenge_method=S256";
    }

    private HttpClient signedIn(TestTokens.Caller person) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(person), TestTokens.PASSWORD);
        return browser;
    }

    private String authorize(HttpClient browser, String scope, String state, String verifier) {
        return tokens.get(browser, base() + authorizeUrl(scope, state, verifier)).headers().firstValue("Location")
                .orElseThrow();
    }

    private JsonNode exchange(HttpClient browser, String redirect, String verifier) throws Exception {
        Map<String, String> params = TestTokens.query(redirect);
        assertThat(params).containsKey("code");
        HttpResponse<String> r = tokens.exchangeCode(browser, params.get("code"), TestTokens.TEST_APP, verifier);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String id() {
        return "ac-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aPatientIsAskedInPlainWordsBeforeTheAppGetsTheirRecord() throws Exception {
        String patient = id();
        String verifier = "v".repeat(43);
        StaffBrowser b = browser().forgetSession().open(authorizeUrl(SCOPES, "s1", verifier));
        b.signIn(tokens.account(TestTokens.Caller.patient(patient)), TestTokens.PASSWORD);

        assertThat(b.path()).startsWith("/oauth2/consent");
        assertThat(b.text("h1")).isEqualTo("Allow " + TestTokens.TEST_APP + " to use your health record?");
        assertThat(b.text("#abilities")).contains("know who you are",
                "see your test results and observations, such as blood pressure", "see your medicines");
        assertThat(b.text("#how-long")).contains("up to 1 hour");
        assertThat(b.text("main")).contains("If you change your mind", "apps you have allowed");
        assertThat(b.present("#allow")).isTrue();
        assertThat(b.present("#deny")).isTrue();
        b.assertAccessible();

        b.click("#allow");
        String redirect = b.driver().getCurrentUrl();
        assertThat(redirect).startsWith(TestTokens.TEST_APP_REDIRECT).contains("state=s1");
        assertThat(TestTokens.query(redirect)).containsKey("code");
    }

    @Test
    void allowGivesATokenAndTheSameScopesLaterGoStraightThroughButMoreAreAskedAgain() throws Exception {
        String patient = id();
        HttpClient browser = signedIn(TestTokens.Caller.patient(patient));
        String verifier = "w".repeat(43);

        String first = authorize(browser, SCOPES, "first", verifier);
        assertThat(TestTokens.isConsentPage(first)).as(first).isTrue();
        JsonNode token = exchange(browser, tokens.answerConsent(browser, first, true), verifier);
        assertThat(token.get("access_token").asString()).isNotBlank();
        assertThat(token.get("patient").asString()).isEqualTo(patient);
        assertThat(token.get("scope").asString()).contains("patient/Observation.rs", "patient/MedicationRequest.rs");
        assertThat(http.as(token.get("access_token").asString()).get("/fhir/Patient/" + patient).status())
                .isNotEqualTo(401);

        String second = authorize(browser, SCOPES, "second", verifier);
        assertThat(second).startsWith(TestTokens.TEST_APP_REDIRECT);
        assertThat(exchange(browser, second, verifier).get("access_token").asString()).isNotBlank();

        String more = authorize(browser, SCOPES + " patient/Condition.rs", "more", verifier);
        assertThat(TestTokens.isConsentPage(more)).as(more).isTrue();
        String page = tokens.get(browser, more).body();
        assertThat(page).contains("see your health conditions");
    }

    @Test
    void doNotAllowGivesTheAppAccessDenied() {
        HttpClient browser = signedIn(TestTokens.Caller.patient(id()));

        String asked = authorize(browser, SCOPES, "no-thanks", "x".repeat(43));
        String answered = tokens.answerConsent(browser, asked, false);

        assertThat(answered).startsWith(TestTokens.TEST_APP_REDIRECT);
        assertThat(TestTokens.query(answered)).containsEntry("error", "access_denied")
                .containsEntry("state", "no-thanks").doesNotContainKey("code");
        // Saying no is remembered as no: the next request asks again.
        assertThat(TestTokens.isConsentPage(authorize(browser, SCOPES, "again", "x".repeat(43)))).isTrue();
    }

    @Test
    void aCarerIsAskedAboutTheRecordOfThePersonTheyCareFor() {
        String carer = id();
        String patient = id();
        sharesWithCarer(patient, carer, "MedicationRequest");
        HttpClient browser = signedIn(TestTokens.Caller.carer(carer, patient));

        String asked = authorize(browser, SCOPES, "carer", "y".repeat(43));

        assertThat(TestTokens.isConsentPage(asked)).as(asked).isTrue();
        assertThat(tokens.get(browser, asked).body())
                .contains("the health record of the person you care for", "see their medicines")
                .doesNotContain("see their test results");
    }

    @Test
    void aCarerIsToldTheAppSeesOnlyWhatThePatientSharedNotEverything() {
        String carer = id();
        String patient = id();
        sharesWithCarer(patient, carer, "Appointment", "MedicationRequest");
        HttpClient browser = signedIn(TestTokens.Caller.carer(carer, patient));

        String asked = authorize(browser, "openid fhirUser launch/patient patient/*.rs patient/Condition.rs",
                "everything", "v".repeat(43));
        assertThat(TestTokens.isConsentPage(asked)).as(asked).isTrue();
        String page = tokens.get(browser, asked).body();
        assertThat(page).contains("see only what they have shared with you:", "their appointments and visits",
                "their medicines", "their name, date of birth").doesNotContain("everything", "health conditions");

        tokens.answerConsent(browser, asked, true);
        String apps = tokens.get(browser, base() + "/my/apps").body();
        assertThat(apps).contains("see only what they have shared with you:", "their medicines")
                .doesNotContain("everything", "health conditions");
    }

    /** The patient's active proxy consent for the carer, covering these types. */
    private void sharesWithCarer(String patient, String carer, String... types) {
        assertThat(http.put("/fhir/Patient/" + patient, """
                {"resourceType":"Patient","id":"%s","name":[{"family":"Cared","given":["For"]}]}""".formatted(patient),
                "application/fhir+json").status()).isIn(200, 201);
        assertThat(http.put("/fhir/RelatedPerson/" + carer, """
                {"resourceType":"RelatedPerson","id":"%s","active":true,"patient":{"reference":"Patient/%s"}}"""
                .formatted(carer, patient), "application/fhir+json").status()).isIn(200, 201);
        String classes = java.util.Arrays.stream(types)
                .map(t -> "{\"system\":\"http://hl7.org/fhir/resource-types\",\"code\":\"" + t + "\"}")
                .collect(java.util.stream.Collectors.joining(","));
        var consent = http.put("/fhir/Consent/proxy-" + carer, """
                {"resourceType":"Consent","id":"proxy-%s","status":"active",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"reference":"Patient/%s"},
                 "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},
                 "provision":{"type":"permit","actor":[{"role":{"coding":[{"system":
                   "http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"PROV"}]},
                   "reference":{"reference":"RelatedPerson/%s"}}],"class":[%s]}}"""
                .formatted(carer, patient, carer, classes), "application/fhir+json");
        assertThat(consent.status()).as(consent.body()).isIn(200, 201);
    }

    @Test
    void anAnswerPostedWithoutThePagesCsrfTokenIsRefused() throws Exception {
        HttpClient browser = signedIn(TestTokens.Caller.patient(id()));
        String asked = authorize(browser, SCOPES, "forged", "z".repeat(43));
        Map<String, String> params = TestTokens.query(asked);

        HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(URI.create(base() + "/oauth2/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=" + TestTokens.TEST_APP + "&state="
                        + enc(params.get("state")) + "&scope=patient%2FObservation.rs")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void staffAreNotAskedAboutTheTrustsApps() {
        HttpClient browser = signedIn(TestTokens.Caller.staff("Practitioner/" + id(),
                org.charnwood.app.security.AccessRole.REGISTERED_NURSE));

        String answered = authorize(browser, "openid fhirUser user/*.rs patient/Observation.rs", "staff", "u".repeat(43));

        assertThat(answered).startsWith(TestTokens.TEST_APP_REDIRECT);
        assertThat(TestTokens.query(answered)).containsKey("code");
    }
}
