package org.charnwood.app.security.oauth;

import com.nimbusds.jwt.JWTParser;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestKeys;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token, introspection and revocation endpoints answer a program as RFC 6749 section 5.2 says, whatever it
 * accepts: never the sign-in page. Every refused token request is a failed sign-in in the audit trail; a 401
 * names the Basic scheme; a token is never issued with no scope or a scope that names no FHIR type; and its
 * scope says exactly what was granted.
 */
class TokenEndpointErrorsIntegrationTests extends CharnwoodIntegrationTest {

    private static final String LOGIN = "http://dicom.nema.org/resources/ontology/DCM|110114";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private long before;

    @BeforeEach
    void markTheTrail() {
        before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** A form post as a generic HTTP client sends it: {@code Accept: *}{@code /*}. */
    private HttpResponse<String> post(String path, Map<String, String> form, String basic) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "*/*")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basic != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    basic.getBytes(StandardCharsets.UTF_8)));
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) {
        return JSON.readTree(response.body()).path("error").asString();
    }

    private List<Map<String, Object>> failedSignIns() {
        return jdbc.queryForList("select outcome::int as outcome, who, content from audit.event"
                + " where seq > ? and type = ? and subtype = '110122' and outcome <> 0 order by seq", before, LOGIN);
    }

    @Test
    void aRequestWithoutClientCredentialsIsInvalidClientNotTheSignInPageAndIsRecorded() throws Exception {
        for (String path : List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke")) {
            HttpResponse<String> r = post(path, Map.of("grant_type", "client_credentials", "token", "x"), null);

            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("Location")).as(path).isEmpty();
            assertThat(error(r)).as(path).isEqualTo("invalid_client");
            assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).as(path).startsWith("Basic realm=");
        }
        assertThat(failedSignIns()).hasSize(3).allSatisfy(row ->
                assertThat((String) row.get("content")).contains("invalid_client"));
    }

    @Test
    void anUnknownAssertionTypeIsInvalidClient() throws Exception {
        HttpResponse<String> r = post("/oauth2/token", Map.of("grant_type", "client_credentials",
                "scope", "system/Patient.rs", "client_assertion_type", "foo", "client_assertion", "abc"), null);

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r)).isEqualTo("invalid_client");
        assertThat(failedSignIns()).hasSize(1);
    }

    @Test
    void aPublicClientAskingForClientCredentialsIsUnauthorizedClient() throws Exception {
        HttpResponse<String> r = post("/oauth2/token", Map.of("grant_type", "client_credentials",
                "client_id", TestTokens.TEST_APP, "scope", "patient/*.rs"), null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("unauthorized_client");
        assertThat(failedSignIns()).singleElement().satisfies(row ->
                assertThat((String) row.get("content")).contains("account " + TestTokens.TEST_APP));
    }

    @Test
    void aPublicClientsCodeExchangeWithoutItsVerifierIsInvalidGrant() throws Exception {
        HttpClient browser = signedInBrowser("Practitioner/staff-931");
        String code = code(browser, "openid user/Patient.rs", "s1");

        HttpResponse<String> r = post("/oauth2/token", Map.of("grant_type", "authorization_code", "code", code,
                "client_id", TestTokens.TEST_APP, "redirect_uri", TestTokens.TEST_APP_REDIRECT), null);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("invalid_grant");
        assertThat(failedSignIns()).singleElement().satisfies(row ->
                assertThat((String) row.get("content")).contains("invalid_grant"));
    }

    @Test
    void aWrongSecretIsA401WithTheBasicChallengeAtEveryEndpoint() throws Exception {
        for (String path : List.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke")) {
            HttpResponse<String> r = post(path, Map.of("grant_type", "client_credentials", "token", "x",
                    "scope", "patient/*.rs"), CONFIDENTIAL_APP + ":not-the-secret-0123456789");

            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(error(r)).as(path).isEqualTo("invalid_client");
            assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).as(path)
                    .isEqualTo("Basic realm=\"" + TokenEndpointSignIns.REALM + "\"");
        }
    }

    @Test
    void aBackendSystemMustNameScopesThatExist() throws Exception {
        for (String scope : new String[]{null, "", "system/Foo.rs", "system/Patient.rs system/Foo.rs"}) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "client_credentials");
            if (scope != null) {
                form.put("scope", scope);
            }
            form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            form.put("client_assertion", TestKeys.clientAssertion(TestKeys.BACKEND_CLIENT, TestKeys.backendKey(),
                    url("/oauth2/token")));

            HttpResponse<String> r = post("/oauth2/token", form, null);

            assertThat(r.statusCode()).as(String.valueOf(scope)).isEqualTo(400);
            assertThat(error(r)).as(String.valueOf(scope)).isEqualTo("invalid_scope");
        }
        assertThat(failedSignIns()).hasSize(4);
    }

    @Test
    void anAppIsToldOnlyTheScopesItWasGranted() throws Exception {
        HttpClient browser = signedInBrowser("Practitioner/staff-932");

        // A public client gets no refresh token, and no launch was given.
        JsonNode response = tokens.authorisationCode(browser, TestTokens.TEST_APP,
                "openid launch offline_access user/Patient.rs", null);

        assertThat(response.has("refresh_token")).isFalse();
        List<String> said = List.of(response.get("scope").asString().split(" "));
        List<String> carried = List.of(JWTParser.parse(response.get("access_token").asString()).getJWTClaimsSet()
                .getStringClaim("scope").split(" "));
        assertThat(said).contains("user/Patient.rs").doesNotContain("offline_access", "launch");
        assertThat(carried).containsExactlyInAnyOrderElementsOf(said);
    }

    @Test
    void anAppAskingForAScopeNamingNoTypeIsRefusedAtItsRedirect() {
        HttpClient browser = signedInBrowser("Practitioner/staff-933");

        String location = authorize(browser, "code", TestTokens.TEST_APP, TestTokens.TEST_APP_REDIRECT,
                "openid user/Foo.rs", "s2").headers().firstValue("Location").orElseThrow();

        assertThat(TestTokens.query(location)).containsEntry("error", "invalid_scope").containsEntry("state", "s2");
    }

    @Test
    void anUnsupportedResponseTypeGoesBackToTheAppWithItsState() {
        HttpClient browser = signedInBrowser("Practitioner/staff-934");

        HttpResponse<String> r = authorize(browser, "token", TestTokens.TEST_APP, TestTokens.TEST_APP_REDIRECT,
                "openid user/Patient.rs", "s1");

        assertThat(r.statusCode()).isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(TestTokens.TEST_APP_REDIRECT);
        assertThat(TestTokens.query(location)).containsEntry("error", "unsupported_response_type")
                .containsEntry("state", "s1");
    }

    @Test
    void anUnknownAppOrAddressShowsThePersonAPageAndSendsThemNowhere() {
        HttpClient browser = signedInBrowser("Practitioner/staff-935");

        HttpResponse<String> unknownApp = authorize(browser, "code", "no-such-app", TestTokens.TEST_APP_REDIRECT,
                "openid", "s1");
        HttpResponse<String> strangeAddress = authorize(browser, "code", TestTokens.TEST_APP,
                "https://attacker.example/cb", "openid", "s1");
        HttpResponse<String> strangeAddressAndType = authorize(browser, "token", TestTokens.TEST_APP,
                "https://attacker.example/cb", "openid", "s1");

        for (HttpResponse<String> r : List.of(unknownApp, strangeAddress, strangeAddressAndType)) {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.headers().firstValue("Location")).isEmpty();
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(r.body()).contains("The app's request could not be accepted").doesNotContain("\"timestamp\"");
        }
        assertThat(unknownApp.body()).contains("not one this service knows");
        assertThat(strangeAddress.body()).contains("has not registered");
    }

    @Test
    void theAuthorisationServersResponsesCarryTheSameSecurityHeadersAsEveryOtherPage() throws Exception {
        HttpClient browser = signedInBrowser("Practitioner/staff-936");
        HttpResponse<String> errorPage = authorize(browser, "code", "no-such-app", TestTokens.TEST_APP_REDIRECT,
                "openid", "s1");
        HttpResponse<String> token = post("/oauth2/token", Map.of("grant_type", "client_credentials"), null);
        HttpResponse<String> introspect = post("/oauth2/introspect", Map.of("token", "x"), null);
        HttpResponse<String> jwks = tokens.get(browser, url("/oauth2/jwks"));
        String signInPolicy = tokens.get(TestTokens.browser(), url("/signin")).headers()
                .firstValue("Content-Security-Policy").orElseThrow();

        for (HttpResponse<String> r : List.of(errorPage, token, introspect, jwks)) {
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(r.uri().toString())
                    .contains(signInPolicy);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).contains("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(r.uri().toString()).isPresent();
        }
    }

    private HttpClient signedInBrowser(String practitioner) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.staff(practitioner, AccessRole.REGISTERED_NURSE)),
                TestTokens.PASSWORD);
        return browser;
    }

    private HttpResponse<String> authorize(HttpClient browser, String responseType, String clientId,
                                           String redirect, String scope, String state) {
        String verifier = TestTokens.randomString();
        return tokens.get(browser, url("/oauth2/authorize?response_type=" + responseType + "&client_id="
                + enc(clientId) + "&redirect_uri=" + enc(redirect) + "&scope=" + enc(scope) + "&state=" + state
                + "&aud=" + enc(url("/fhir")) + "&code_challenge=" + TestTokens.s256(verifier)
                + "&code_challenge_method=S256"));
    }

    private String code(HttpClient browser, String scope, String state) {
        String location = authorize(browser, "code", TestTokens.TEST_APP, TestTokens.TEST_APP_REDIRECT, scope, state)
                .headers().firstValue("Location").orElseThrow();
        return TestTokens.query(location).get("code");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
