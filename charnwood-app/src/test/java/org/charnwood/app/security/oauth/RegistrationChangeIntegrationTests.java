package org.charnwood.app.security.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client registered again with less (fewer scopes, a redirect URI or grant type taken away, another way of
 * authenticating) keeps only the grants the new registration would have given: the others end with the change,
 * their access tokens refused at once and their refresh tokens with {@code invalid_grant}.
 */
class RegistrationChangeIntegrationTests extends CharnwoodIntegrationTest {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-characters";
    private static final TestTokens.Caller ADMIN = TestTokens.Caller.staff("Practitioner/staff-092",
            AccessRole.SYSTEM_ADMINISTRATOR).scopes("charnwood/admin.clients");

    @Test
    void narrowingTheScopesOrTakingAwayARedirectUriEndsTheGrantsItNoLongerAllows() throws Exception {
        String client = "narrowed-app";
        register(client, "confidential-symmetric", "\"secret\": \"" + SECRET + "\",",
                "\"" + TestTokens.TEST_APP_REDIRECT + "\", \"https://other.example/cb\"",
                "\"openid\", \"offline_access\", \"user/Patient.rs\", \"user/Observation.rs\"");
        HttpClient browser = signedIn("Practitioner/staff-421");
        Tokens patients = grant(browser, client, "user/Patient.rs");
        Tokens observations = grant(browser, client, "user/Observation.rs");
        assertThat(http.as(observations.getAccessToken().getValue()).get("/fhir/Observation?_count=1").status())
                .isEqualTo(200);

        // The trust takes Observation away from the app.
        register(client, "confidential-symmetric", "\"secret\": \"" + SECRET + "\",",
                "\"" + TestTokens.TEST_APP_REDIRECT + "\", \"https://other.example/cb\"",
                "\"openid\", \"offline_access\", \"user/Patient.rs\"");

        assertThat(http.as(observations.getAccessToken().getValue()).get("/fhir/Observation?_count=1").status())
                .isEqualTo(401);
        assertRefusedAsInvalidGrant(refresh(client, observations));
        assertThat(http.as(patients.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(200);
        TokenResponse stillAllowed = refresh(client, patients);
        assertThat(stillAllowed.indicatesSuccess()).as(String.valueOf(stillAllowed)).isTrue();
        Tokens current = stillAllowed.toSuccessResponse().getTokens();

        // Then the redirect URI the grant was given through.
        register(client, "confidential-symmetric", "\"secret\": \"" + SECRET + "\",", "\"https://other.example/cb\"",
                "\"openid\", \"offline_access\", \"user/Patient.rs\"");

        assertThat(http.as(current.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
        assertRefusedAsInvalidGrant(refresh(client, current));
        assertThat(jdbc.queryForObject("select count(*) from auth.authorization where registered_client = ?",
                Integer.class, client)).isZero();
    }

    @Test
    void anotherWayOfAuthenticatingEndsEveryGrant() throws Exception {
        String client = "rekinded-app";
        register(client, "confidential-symmetric", "\"secret\": \"" + SECRET + "\",",
                "\"" + TestTokens.TEST_APP_REDIRECT + "\"", "\"openid\", \"offline_access\", \"user/Patient.rs\"");
        Tokens issued = grant(signedIn("Practitioner/staff-422"), client, "user/Patient.rs");

        // Same scopes and redirect, but now a public client: tokens went to whoever held the secret.
        register(client, "public", "", "\"" + TestTokens.TEST_APP_REDIRECT + "\"",
                "\"openid\", \"offline_access\", \"user/Patient.rs\"");

        assertThat(http.as(issued.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("select count(*) from auth.authorization where registered_client = ?",
                Integer.class, client)).isZero();
    }

    @Test
    void aGrantTypeTakenAwayEndsTheTokensGivenThroughIt() throws Exception {
        String client = "feed-made-interactive";
        http.as(tokens.bearer(ADMIN)).put("/api/admin/clients/" + client, """
                {"name": "Feed", "kind": "confidential-symmetric", "secret": "%s",
                 "scopes": ["system/Patient.rs"], "grantTypes": ["client_credentials"]}""".formatted(SECRET),
                "application/json");
        TokenResponse issued = TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"),
                new ClientSecretBasic(new ClientID(client), new Secret(SECRET)),
                new com.nimbusds.oauth2.sdk.ClientCredentialsGrant(), new Scope("system/Patient.rs")).toHTTPRequest().send());
        String token = issued.toSuccessResponse().getTokens().getAccessToken().getValue();
        assertThat(http.as(token).get("/fhir/Patient?_count=1").status()).isEqualTo(200);

        register(client, "confidential-symmetric", "\"secret\": \"" + SECRET + "\",",
                "\"" + TestTokens.TEST_APP_REDIRECT + "\"", "\"system/Patient.rs\", \"user/Patient.rs\"");

        assertThat(http.as(token).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
    }

    @Test
    void registeringAgainUnchangedKeepsEveryGrant() throws Exception {
        String client = "unchanged-app";
        String redirect = "\"" + TestTokens.TEST_APP_REDIRECT + "\"";
        String scopes = "\"openid\", \"offline_access\", \"user/Patient.rs\"";
        register(client, "confidential-symmetric", "\"secret\": \"" + SECRET + "\",", redirect, scopes);
        Tokens issued = grant(signedIn("Practitioner/staff-423"), client, "user/Patient.rs");

        register(client, "confidential-symmetric", "\"secret\": \"" + SECRET + "\",", redirect, scopes);

        assertThat(http.as(issued.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(200);
        assertThat(refresh(client, issued).indicatesSuccess()).isTrue();
    }

    private void register(String client, String kind, String secret, String redirects, String scopes) {
        String grants = kind.equals("public") ? "[\"authorization_code\"]" : "[\"authorization_code\", \"refresh_token\"]";
        var put = http.as(tokens.bearer(ADMIN)).put("/api/admin/clients/" + client, """
                {"name": "App", "kind": "%s", %s "redirectUris": [%s], "scopes": [%s], "grantTypes": %s,
                 "consent": "not-required"}""".formatted(kind, secret, redirects, scopes, grants), "application/json");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
    }

    private HttpClient signedIn(String practitioner) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.staff(practitioner, AccessRole.REGISTERED_NURSE)),
                TestTokens.PASSWORD);
        return browser;
    }

    private Tokens grant(HttpClient browser, String client, String scope) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(client))
                .endpointURI(endpoint("/oauth2/authorize")).redirectionURI(URI.create(TestTokens.TEST_APP_REDIRECT))
                .scope(new Scope("openid", "offline_access", scope))
                .state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("aud", endpoint("/fhir").toString()).build();
        String location = tokens.get(browser, authorize.toURI().toString()).headers().firstValue("Location").orElseThrow();
        String code = TestTokens.query(location).get("code");
        TokenResponse response = TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"),
                new ClientSecretBasic(new ClientID(client), new Secret(SECRET)),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(TestTokens.TEST_APP_REDIRECT), verifier))
                .toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).as(location + " " + response).isTrue();
        return response.toSuccessResponse().getTokens();
    }

    private TokenResponse refresh(String client, Tokens issued) throws Exception {
        return TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"),
                new ClientSecretBasic(new ClientID(client), new Secret(SECRET)),
                new RefreshTokenGrant(issued.getRefreshToken())).toHTTPRequest().send());
    }

    private static void assertRefusedAsInvalidGrant(TokenResponse response) {
        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) response).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    private URI endpoint(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
