package org.charnwood.app.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestKeys;
import org.charnwood.app.testing.TestTokens;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SMART App Launch v2 end to end, driven by the Nimbus OAuth 2.0 SDK as a real app would be. */
class SmartAppLaunchIntegrationTests extends CharnwoodIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    com.nimbusds.jose.jwk.RSAKey signingKey;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private URI endpoint(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private ClientAuthentication confidentialApp() {
        return new ClientSecretBasic(new ClientID(CONFIDENTIAL_APP), new Secret(CONFIDENTIAL_APP_SECRET));
    }

    @Test
    void fhirWithoutATokenIsRefusedWithABearerChallenge() {
        var r = http.anonymous().get("/fhir/Patient");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void fhirWithAForgedTokenIsRefused() {
        var r = http.as("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").get("/fhir/Patient");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void fhirRefusesATokenOurKeySignedForAnotherServer() throws Exception {
        String issued = tokens.bearer(TestTokens.Caller.system("system/Patient.rs"));
        var claims = JWTParser.parse(issued).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("http://localhost:" + port + "/fhir");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(TestKeys.BACKEND_CLIENT);

        String forUs = resigned(claims, "http://localhost:" + port + "/fhir");
        String forAnother = resigned(claims, "https://other-trust.example.nhs.uk/fhir");
        String forTheClient = resigned(claims, TestKeys.BACKEND_CLIENT);

        assertThat(http.as(forUs).get("/fhir/Patient").status()).as("the same claims, signed again").isEqualTo(200);
        for (String replayed : java.util.List.of(forAnother, forTheClient)) {
            var r = http.as(replayed).get("/fhir/Patient");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
        }
    }

    /** The token's claims with another audience, signed with this server's own key. */
    private String resigned(com.nimbusds.jwt.JWTClaimsSet claims, String audience) throws Exception {
        com.nimbusds.jose.jwk.RSAKey key = signingKey;
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID()).build(),
                new com.nimbusds.jwt.JWTClaimsSet.Builder(claims).audience(audience)
                        .jwtID(java.util.UUID.randomUUID().toString()).build());
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void capabilityStatementAndSmartConfigurationArePublic() {
        var metadata = http.anonymous().get("/fhir/metadata");
        var smart = http.anonymous().get("/fhir/.well-known/smart-configuration");

        assertThat(metadata.status()).isEqualTo(200);
        CapabilityStatement cs = metadata.resource(CapabilityStatement.class);
        var oauthUris = cs.getRestFirstRep().getSecurity()
                .getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        assertThat(oauthUris.getExtensionByUrl("token").getValue().primitiveValue()).endsWith("/oauth2/token");
        assertThat(smart.status()).isEqualTo(200);
        JsonNode config = JSON.readTree(smart.body());
        assertThat(config.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(config.get("capabilities").toString()).contains("launch-ehr", "launch-standalone",
                "client-public", "client-confidential-asymmetric", "context-ehr-patient",
                "context-standalone-patient", "permission-v2", "sso-openid-connect", "authorize-post");
        assertThat(config.get("token_endpoint").asString()).isEqualTo("http://localhost:" + port + "/oauth2/token");
    }

    @Test
    void aLaunchScopeWhoseContextCannotBeGivenIsNotClaimedGranted() {
        HttpClient linked = TestTokens.browser();
        tokens.signIn(linked, tokens.account(TestTokens.Caller.patient("p-asks-encounter")), TestTokens.PASSWORD);
        HttpClient unlinked = TestTokens.browser();
        tokens.signIn(unlinked, tokens.account(TestTokens.Caller.patient(null)), TestTokens.PASSWORD);

        JsonNode withRecord = tokens.authorisationCode(linked, TestTokens.TEST_APP,
                "openid launch/patient launch/encounter patient/*.rs", null);
        JsonNode withoutRecord = tokens.authorisationCode(unlinked, TestTokens.TEST_APP,
                "openid launch/patient patient/*.rs", null);

        // No encounter can be chosen in a standalone launch, and a person with no record linked has no patient.
        assertThat(withRecord.get("patient").asString()).isEqualTo("p-asks-encounter");
        assertThat(withRecord.get("scope").asString().split(" ")).contains("launch/patient")
                .doesNotContain("launch/encounter");
        assertThat(withRecord.has("encounter")).isFalse();
        assertThat(withoutRecord.has("patient")).isFalse();
        assertThat(withoutRecord.get("scope").asString().split(" ")).doesNotContain("launch/patient");
    }

    @Test
    void theSmartConfigurationNamesThePageWherePeopleStopTheAppsTheyAllowed() {
        JsonNode config = JSON.readTree(http.anonymous().get("/fhir/.well-known/smart-configuration").body());
        String management = config.get("management_endpoint").asString();
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.patient("p-manages-apps")), TestTokens.PASSWORD);

        HttpResponse<String> page = tokens.get(browser, management);

        assertThat(management).isEqualTo("http://localhost:" + port + "/my/apps");
        assertThat(page.statusCode()).isEqualTo(200);
    }

    @Test
    void backendServiceGetsATokenWithPrivateKeyJwtAndUsesIt() throws Exception {
        URI token = endpoint("/oauth2/token");
        TokenRequest request = new TokenRequest(token, new PrivateKeyJWT(new ClientID(TestKeys.BACKEND_CLIENT), token,
                JWSAlgorithm.RS384, TestKeys.backendKey().toRSAPrivateKey(), TestKeys.backendKey().getKeyID(), null),
                new ClientCredentialsGrant(), new Scope("system/Patient.rs", "system/Observation.rs?category=vital-signs"));

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isTrue();
        AccessToken accessToken = response.toSuccessResponse().getTokens().getAccessToken();
        assertThat(accessToken.getScope().toStringList())
                .containsExactlyInAnyOrder("system/Patient.rs", "system/Observation.rs?category=vital-signs");
        assertThat(response.toSuccessResponse().getTokens().getRefreshToken()).isNull();
        assertThat(http.as(accessToken.getValue()).get("/fhir/Patient").status()).isEqualTo(200);
    }

    @Test
    void backendServiceCannotAskForMoreThanItRegistered() throws Exception {
        URI token = endpoint("/oauth2/token");
        TokenRequest request = new TokenRequest(token, new PrivateKeyJWT(new ClientID(TestKeys.BACKEND_CLIENT), token,
                JWSAlgorithm.RS384, TestKeys.backendKey().toRSAPrivateKey(), TestKeys.backendKey().getKeyID(), null),
                new ClientCredentialsGrant(), new Scope("patient/*.rs"));

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) response).getErrorObject().getCode()).isEqualTo("invalid_scope");
    }

    @Test
    void backendServiceWithAnotherKeyIsRefused() throws Exception {
        URI token = endpoint("/oauth2/token");
        var stranger = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("test-backend").generate();
        TokenRequest request = new TokenRequest(token, new PrivateKeyJWT(new ClientID(TestKeys.BACKEND_CLIENT), token,
                JWSAlgorithm.RS384, stranger.toRSAPrivateKey(), stranger.getKeyID(), null),
                new ClientCredentialsGrant(), new Scope("system/Patient.rs"));

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());

        assertThat(((TokenErrorResponse) response).getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    @Test
    void ehrLaunchHandsTheAppThePatientAndEncounterTheStaffPageHadOpen() throws Exception {
        HttpClient browser = TestTokens.browser();
        String username = signedInNurse(browser);
        storePatientAndEncounter("patient-42", "encounter-7");
        String launch = tokens.mintLaunch(browser, "patient-42", "encounter-7");
        CodeVerifier verifier = new CodeVerifier();

        AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(CONFIDENTIAL_APP))
                .endpointURI(endpoint("/oauth2/authorize")).redirectionURI(URI.create(TestTokens.TEST_APP_REDIRECT))
                .scope(new Scope("launch", "openid", "fhirUser", "user/*.rs", "patient/Observation.rs?category=vital-signs"))
                .state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("launch", launch).customParameter("aud", "http://localhost:" + port + "/fhir").build();
        String code = codeFrom(tokens.get(browser, authorize.toURI().toString()));
        OIDCTokenResponse response = (OIDCTokenResponse) OIDCTokenResponseParser.parse(new TokenRequest(
                endpoint("/oauth2/token"), confidentialApp(), new AuthorizationCodeGrant(new AuthorizationCode(code),
                URI.create(TestTokens.TEST_APP_REDIRECT), verifier)).toHTTPRequest().send());

        assertThat(response.getCustomParameters()).containsEntry("patient", "patient-42").containsEntry("encounter", "encounter-7");
        var idToken = response.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertThat(idToken.getStringClaim("fhirUser")).isEqualTo("Practitioner/staff-009");
        var accessClaims = JWTParser.parse(response.getOIDCTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(accessClaims.getStringClaim("patient")).isEqualTo("patient-42");
        assertThat(accessClaims.getStringClaim("kind")).isEqualTo("STAFF");
        assertThat(accessClaims.getStringListClaim("roles")).containsExactly("REGISTERED_NURSE");
        assertThat(accessClaims.getStringClaim("scope")).contains("patient/Observation.rs?category=vital-signs");
        assertThat(accessClaims.getAudience()).as("the FHIR server the app asked for")
                .containsExactly("http://localhost:" + port + "/fhir");
        assertThat(accessClaims.getStringClaim("client_id")).isEqualTo(CONFIDENTIAL_APP);
        assertThat(idToken.getAudience()).as("an ID token is for the app").containsExactly(CONFIDENTIAL_APP);
        assertThat(username).isNotBlank();
    }

    @Test
    void aLaunchIdGivesOneTokenAndOnlyToTheStaffMemberWhoMintedIt() {
        HttpClient nurse = TestTokens.browser();
        signedInNurse(nurse);
        storePatientAndEncounter("patient-43", null);
        String launch = tokens.mintLaunch(nurse, "patient-43", null);
        HttpClient colleague = TestTokens.browser();
        tokens.signIn(colleague, tokens.account(TestTokens.Caller.staff("Practitioner/staff-010",
                AccessRole.REGISTERED_NURSE)), TestTokens.PASSWORD);

        // Someone else who learnt the launch id cannot use it, and their attempt does not use it up.
        assertThatThrownBy(() -> tokens.authorisationCode(colleague, TestTokens.TEST_APP, "launch openid user/*.rs",
                launch)).hasMessageContaining("400").hasMessageContaining("invalid_grant");
        var first = tokens.authorisationCode(nurse, TestTokens.TEST_APP, "launch openid user/*.rs", launch);
        assertThat(first.get("patient").asString()).isEqualTo("patient-43");
        assertThatThrownBy(() -> tokens.authorisationCode(nurse, TestTokens.TEST_APP, "launch openid user/*.rs",
                launch)).hasMessageContaining("400").hasMessageContaining("invalid_grant");
    }

    @Test
    void aLaunchMintedForOneAppGivesItsContextToThatAppAlone() throws Exception {
        HttpClient nurse = TestTokens.browser();
        signedInNurse(nurse);
        storePatientAndEncounter("patient-44", null);
        String launch = tokens.mintLaunch(nurse, "patient-44", null, TestTokens.TEST_APP);
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(CONFIDENTIAL_APP))
                .endpointURI(endpoint("/oauth2/authorize")).redirectionURI(URI.create(TestTokens.TEST_APP_REDIRECT))
                .scope(new Scope("launch", "openid", "user/*.rs")).state(new State())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("launch", launch).customParameter("aud", "http://localhost:" + port + "/fhir").build();
        String code = codeFrom(tokens.get(nurse, authorize.toURI().toString()));

        // Another app the same member of staff signs in to cannot take the context, nor use the launch up.
        TokenResponse byAnotherApp = TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"), confidentialApp(),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(TestTokens.TEST_APP_REDIRECT), verifier))
                .toHTTPRequest().send());
        var byItsApp = tokens.authorisationCode(nurse, TestTokens.TEST_APP, "launch openid user/*.rs", launch);

        assertThat(byAnotherApp.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) byAnotherApp).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(byItsApp.get("patient").asString()).isEqualTo("patient-44");
        assertThatThrownBy(() -> tokens.mintLaunch(nurse, "patient-44", null, "no-such-app"))
                .hasMessageContaining("400");
    }

    @Test
    void standaloneLaunchByAPatientOpensTheirOwnRecord() throws Exception {
        TestTokens.Caller patient = TestTokens.Caller.patient("p-own");
        JsonNode response = tokens.tokenResponse(patient);

        assertThat(response.get("patient").asString()).isEqualTo("p-own");
        var claims = JWTParser.parse(response.get("access_token").asString()).getJWTClaimsSet();
        var idClaims = JWTParser.parse(response.get("id_token").asString()).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(tokens.account(patient));
        assertThat(idClaims.getSubject()).isEqualTo(tokens.account(patient));
        assertThat(claims.getStringClaim("kind")).isEqualTo("PATIENT");
        assertThat(claims.getStringClaim("fhirUser")).isEqualTo("Patient/p-own");
    }

    @Test
    void offlineAccessGivesARefreshTokenThatRefreshesToFewerScopesAndCanBeRevoked() throws Exception {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(CONFIDENTIAL_APP))
                .endpointURI(endpoint("/oauth2/authorize")).redirectionURI(URI.create(TestTokens.TEST_APP_REDIRECT))
                .scope(new Scope("openid", "offline_access", "user/Patient.rs", "user/Observation.rs"))
                .state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("aud", "http://localhost:" + port + "/fhir").build();
        String code = codeFrom(tokens.get(browser, authorize.toURI().toString()));
        var first = TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"), confidentialApp(),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(TestTokens.TEST_APP_REDIRECT), verifier))
                .toHTTPRequest().send()).toSuccessResponse().getTokens();
        RefreshToken refresh = first.getRefreshToken();

        var refreshed = TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"), confidentialApp(),
                new RefreshTokenGrant(refresh), new Scope("user/Patient.rs")).toHTTPRequest().send());
        AccessToken current = refreshed.toSuccessResponse().getTokens().getAccessToken();
        int beforeRevocation = http.as(current.getValue()).get("/fhir/Patient").status();
        var active = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(endpoint("/oauth2/introspect"),
                confidentialApp(), current).toHTTPRequest().send());
        HTTPResponse revoked = new TokenRevocationRequest(endpoint("/oauth2/revoke"), confidentialApp(),
                current).toHTTPRequest().send();
        var afterRevocation = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(endpoint("/oauth2/introspect"),
                confidentialApp(), current).toHTTPRequest().send());

        assertThat(refresh).isNotNull();
        assertThat(refreshed.indicatesSuccess()).isTrue();
        assertThat(current.getScope().toStringList()).containsExactly("user/Patient.rs");
        assertThat(beforeRevocation).isEqualTo(200);
        assertThat(active.toSuccessResponse().isActive()).isTrue();
        assertThat(active.toSuccessResponse().getScope().toStringList()).containsExactly("user/Patient.rs");
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(afterRevocation.toSuccessResponse().isActive()).isFalse();
        assertThat(http.as(current.getValue()).get("/fhir/Patient").status()).isEqualTo(401);
    }

    @Test
    void introspectionTellsAClientOnlyAboutItsOwnTokens() throws Exception {
        URI token = endpoint("/oauth2/token");
        AccessToken backendsToken = TokenResponse.parse(new TokenRequest(token, backend(), new ClientCredentialsGrant(),
                new Scope("system/Patient.rs")).toHTTPRequest().send()).toSuccessResponse().getTokens().getAccessToken();

        var byAnotherClient = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                endpoint("/oauth2/introspect"), confidentialApp(), backendsToken).toHTTPRequest().send());
        var byItsOwnClient = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                endpoint("/oauth2/introspect"), backend(), backendsToken).toHTTPRequest().send());

        assertThat(byAnotherClient.toSuccessResponse().isActive()).isFalse();
        assertThat(byAnotherClient.toSuccessResponse().getScope()).isNull();
        assertThat(byItsOwnClient.toSuccessResponse().isActive()).isTrue();
        assertThat(byItsOwnClient.toSuccessResponse().getClientID().getValue()).isEqualTo(TestKeys.BACKEND_CLIENT);
    }

    @Test
    void introspectionCallsOnlyAccessAndRefreshTokensActiveNotCodesOrIdTokens() throws Exception {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(CONFIDENTIAL_APP))
                .endpointURI(endpoint("/oauth2/authorize")).redirectionURI(URI.create(TestTokens.TEST_APP_REDIRECT))
                .scope(new Scope("openid", "fhirUser", "offline_access", "user/Patient.rs")).state(new State())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("aud", "http://localhost:" + port + "/fhir").build();
        String code = codeFrom(tokens.get(browser, authorize.toURI().toString()));
        boolean codeActive = introspect(code);
        OIDCTokenResponse response = (OIDCTokenResponse) OIDCTokenResponseParser.parse(new TokenRequest(
                endpoint("/oauth2/token"), confidentialApp(), new AuthorizationCodeGrant(new AuthorizationCode(code),
                URI.create(TestTokens.TEST_APP_REDIRECT), verifier)).toHTTPRequest().send());
        var issued = response.getOIDCTokens();

        assertThat(codeActive).isFalse();
        assertThat(introspect(issued.getIDTokenString())).isFalse();
        assertThat(introspect(issued.getAccessToken().getValue())).isTrue();
        assertThat(introspect(issued.getRefreshToken().getValue())).isTrue();
    }

    /** Whether the confidential app's introspection of {@code token} answers active. */
    private boolean introspect(String token) throws Exception {
        HTTPResponse r = new TokenIntrospectionRequest(endpoint("/oauth2/introspect"), confidentialApp(),
                new com.nimbusds.oauth2.sdk.token.TypelessAccessToken(token)).toHTTPRequest().send();
        return TokenIntrospectionResponse.parse(r).toSuccessResponse().isActive();
    }

    /** The test backend's authentication, with a fresh client assertion each time (each is good once). */
    private PrivateKeyJWT backend() throws Exception {
        return new PrivateKeyJWT(new ClientID(TestKeys.BACKEND_CLIENT), endpoint("/oauth2/token"), JWSAlgorithm.RS384,
                TestKeys.backendKey().toRSAPrivateKey(), TestKeys.backendKey().getKeyID(), null);
    }

    @Test
    void withoutOfflineAccessThereIsNoRefreshToken() {
        JsonNode response = tokens.tokenResponse(TestTokens.Caller.staff("Practitioner/staff-010", AccessRole.CLINICIAN));

        assertThat(response.has("refresh_token")).isFalse();
        assertThat(response.get("access_token").asString()).isNotBlank();
    }

    @Test
    void anAppAskingForScopesItWasNotRegisteredForIsRefused() {
        String location = nurseAuthorizing("scope=system/*.cruds&state=s1&aud=http://localhost:" + port + "/fhir");

        assertThat(TestTokens.query(location)).containsEntry("error", "invalid_scope");
    }

    @Test
    void anAppWithoutPkceIsRefused() {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        String url = "http://localhost:" + port + "/oauth2/authorize?response_type=code&client_id=" + CONFIDENTIAL_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&scope=user/*.rs&state=s1";

        String location = tokens.get(browser, url).headers().firstValue("Location").orElseThrow();

        assertThat(TestTokens.query(location)).containsKey("error");
        assertThat(TestTokens.query(location)).doesNotContainKey("code");
    }

    @Test
    void anAppLaunchedBeforeSignInIsSentToTheSignInPageAndBackAgain() {
        HttpClient browser = TestTokens.browser();
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(TestTokens.TEST_APP))
                .endpointURI(endpoint("/oauth2/authorize")).redirectionURI(URI.create(TestTokens.TEST_APP_REDIRECT))
                .scope(new Scope("openid", "user/*.rs")).state(new State())
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("aud", "http://localhost:" + port + "/fhir").build();

        HttpResponse<String> first = tokens.get(browser, authorize.toURI().toString());
        tokens.bearer(TestTokens.Caller.staff("Practitioner/staff-009", AccessRole.REGISTERED_NURSE));
        String next = tokens.signIn(browser, nurseUsername(), TestTokens.PASSWORD);
        String code = codeFrom(tokens.get(browser, next));

        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("Location").orElseThrow()).endsWith("/signin");
        assertThat(next).contains("/oauth2/authorize");
        assertThat(code).isNotBlank();
    }

    @Test
    void staffLaunchingAnAppStandaloneChooseThePatientFirst() {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        String verifier = TestTokens.randomString();
        String base = "http://localhost:" + port;
        String authorize = base + "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&scope=launch/patient%20openid%20patient/*.rs&state=s2&aud=" + base + "/fhir"
                + "&code_challenge=" + TestTokens.s256(verifier) + "&code_challenge_method=S256";

        storePatientAndEncounter("pat-77", null);
        String picker = tokens.get(browser, authorize).headers().firstValue("Location").orElseThrow();
        String back = choosePatient(browser, picker, "pat-77");

        assertThat(picker).contains("/launch/choose-patient?return=");
        assertThat(back).contains("&launch=");
        assertThat(tokenFor(browser, back, verifier).get("patient").asString()).isEqualTo("pat-77");
    }

    @Test
    void thePatientPickerSaysSoWhenNoRecordHasTheIdAndMintsNoLaunch() {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        String base = "http://localhost:" + port;
        String authorize = base + "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&scope=launch/patient%20openid%20patient/*.rs&state=s5&aud="
                + base + "/fhir&code_challenge=" + TestTokens.s256(TestTokens.randomString()) + "&code_challenge_method=S256";
        String picker = tokens.get(browser, authorize).headers().firstValue("Location").orElseThrow();
        String page = tokens.get(browser, absolute(picker)).body();
        // Launches of other tests may be purged meanwhile (the table outlives each test): only a new one would count.
        List<String> launchesBefore = jdbc.queryForList("select launch_hash from auth.smart_launch", String.class);

        HttpResponse<String> answer = tokens.postForm(browser, base + "/launch/choose-patient", Map.of(
                "patient", "nobody-has-this-id", "return", TestTokens.query(picker).get("return"),
                "_csrf", page.replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1")), true);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("Location")).isEmpty();
        assertThat(answer.body()).contains("There is a problem", "No patient record you can open has the id nobody-has-this-id",
                "value=\"nobody-has-this-id\"", "<title>Error: Choose a patient", "<a href=\"#patient\">",
                "aria-describedby=\"patient-hint patient-error\"", "aria-invalid=\"true\"");
        assertThat(jdbc.queryForList("select launch_hash from auth.smart_launch", String.class))
                .isSubsetOf(launchesBefore);
    }

    @Test
    void anEhrLaunchWithAnEncounterOfAnotherPatientIsRefused() {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        storePatientAndEncounter("patient-45", "encounter-45");
        storePatientAndEncounter("patient-46", null);

        assertThatThrownBy(() -> tokens.mintLaunch(browser, "patient-46", "encounter-45"))
                .hasMessageContaining("400").hasMessageContaining("not one of patient patient-46's");
        assertThatThrownBy(() -> tokens.mintLaunch(browser, "patient-46", "no-such-encounter"))
                .hasMessageContaining("400").hasMessageContaining("No encounter has the id no-such-encounter");
        assertThat(tokens.mintLaunch(browser, "patient-45", "encounter-45")).isNotBlank();
    }

    @Test
    void anEhrLaunchForAPatientWhoIsNotThereOrIsHiddenFromTheMemberOfStaffIsRefused() {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        var sealed = http.put("/fhir/Patient/patient-47", """
                {"resourceType":"Patient","id":"patient-47","meta":{"security":[{"system":
                "http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"V"}]},"name":[{"family":"Sealed"}]}""",
                "application/fhir+json");
        assertThat(sealed.status()).as(sealed.body()).isEqualTo(201);
        long launchesBefore = jdbc.queryForObject("select count(*) from auth.smart_launch", Long.class);

        // Not there, and very restricted (hidden from a nurse): the same answer, so it tells them nothing.
        assertThatThrownBy(() -> tokens.mintLaunch(browser, "nobody-47", null))
                .hasMessageContaining("400").hasMessageContaining("No patient record you can open has the id nobody-47");
        assertThatThrownBy(() -> tokens.mintLaunch(browser, "patient-47", null))
                .hasMessageContaining("400").hasMessageContaining("No patient record you can open has the id patient-47");
        assertThat(jdbc.queryForObject("select count(*) from auth.smart_launch", Long.class)).isEqualTo(launchesBefore);
    }

    @Test
    void aSearchRestrictionOnEveryTypeIsRefusedAsAScopeThatGrantsNothing() {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        String base = "http://localhost:" + port;
        String authorize = base + "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&scope=openid%20"
                + java.net.URLEncoder.encode("user/*.rs?category=vital-signs", java.nio.charset.StandardCharsets.UTF_8) + "&state=s6&aud=" + base + "/fhir&code_challenge="
                + TestTokens.s256(TestTokens.randomString()) + "&code_challenge_method=S256";

        String location = tokens.get(browser, authorize).headers().firstValue("Location").orElseThrow();

        assertThat(location).startsWith(TestTokens.TEST_APP_REDIRECT);
        assertThat(TestTokens.query(location)).containsEntry("error", "invalid_scope").containsEntry("state", "s6");
    }

    @Test
    void anIdTokenOfSomeoneWithNoFhirResourceHasNoFhirUserClaim() throws Exception {
        JsonNode response = tokens.tokenResponse(TestTokens.Caller.staff(null, AccessRole.ANALYST)
                .scopes("user/Patient.rs"));

        var idClaims = JWTParser.parse(response.get("id_token").asString()).getJWTClaimsSet();
        assertThat(idClaims.getClaims()).doesNotContainKey("fhirUser");
        assertThat(response.has("fhirUser")).isFalse();
        // Nor the access token: an empty claim would read as a reference to nothing.
        var accessClaims = JWTParser.parse(response.get("access_token").asString()).getJWTClaimsSet();
        assertThat(accessClaims.getClaims()).doesNotContainKey("fhirUser").containsKey("kind");
    }

    /** Picks the patient on the picker page the browser was sent to; answers where it sends the browser back. */
    private String choosePatient(HttpClient browser, String picker, String patient) {
        String page = tokens.get(browser, absolute(picker)).body();
        return tokens.postForm(browser, "http://localhost:" + port + "/launch/choose-patient", Map.of("patient", patient,
                "return", TestTokens.query(picker).get("return"),
                "_csrf", page.replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1")), true)
                .headers().firstValue("Location").orElseThrow();
    }

    /** The token response for the code the authorisation request at {@code authorize} gives the test app. */
    private tools.jackson.databind.JsonNode tokenFor(HttpClient browser, String authorize, String verifier) {
        String code = codeFrom(tokens.get(browser, absolute(authorize)));
        return JSON.readTree(tokens.exchangeCode(browser, code, TestTokens.TEST_APP, verifier).body());
    }

    @Test
    void staffLaunchingAnAppStandaloneByPostChooseThePatientFirstToo() {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        String verifier = TestTokens.randomString();
        String base = "http://localhost:" + port;
        Map<String, String> request = Map.of("response_type", "code", "client_id", TestTokens.TEST_APP,
                "redirect_uri", TestTokens.TEST_APP_REDIRECT, "scope", "launch/patient openid patient/*.rs",
                "state", "s3", "aud", base + "/fhir", "code_challenge", TestTokens.s256(verifier),
                "code_challenge_method", "S256");

        String picker = tokens.postForm(browser, base + "/oauth2/authorize", request, true).headers()
                .firstValue("Location").orElseThrow();
        storePatientAndEncounter("pat-78", null);
        String back = choosePatient(browser, picker, "pat-78");

        assertThat(picker).contains("/launch/choose-patient?return=");
        assertThat(tokenFor(browser, back, verifier).get("patient").asString()).isEqualTo("pat-78");
    }

    @Test
    void promptLoginAndMaxAgeAskThePersonToSignInAgain() {
        HttpClient browser = TestTokens.browser();
        String username = signedInNurse(browser);
        String base = "http://localhost:" + port;
        String authorize = base + "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&scope=openid%20user/*.rs&state=s4&aud=" + base
                + "/fhir&code_challenge=" + TestTokens.s256("m".repeat(43)) + "&code_challenge_method=S256";

        for (String asking : java.util.List.of("&prompt=login", "&max_age=0")) {
            clock.advance(java.time.Duration.ofSeconds(5));
            HttpResponse<String> first = tokens.get(browser, authorize + asking);
            assertThat(first.headers().firstValue("Location").orElseThrow()).as(asking).endsWith("/signin");

            String next = tokens.signIn(browser, username, TestTokens.PASSWORD);
            assertThat(next).as(asking).contains("/oauth2/authorize");
            assertThat(codeFrom(tokens.get(browser, absolute(next)))).as(asking).isNotBlank();
        }
        // A recent enough sign-in goes straight through.
        String code = codeFrom(tokens.get(browser, authorize + "&max_age=3600"));
        assertThat(code).isNotBlank();
    }

    @Test
    void promptNoneNeverShowsTheSignInPageAndTellsTheAppLoginRequired() {
        String base = "http://localhost:" + port;
        String authorize = base + "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&scope=openid%20user/*.rs&state=s5&aud=" + base
                + "/fhir&code_challenge=" + TestTokens.s256("n".repeat(43)) + "&code_challenge_method=S256&prompt=none";

        String notSignedIn = tokens.get(TestTokens.browser(), authorize).headers().firstValue("Location").orElseThrow();
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        clock.advance(java.time.Duration.ofSeconds(5));
        String tooOld = tokens.get(browser, authorize + "&max_age=1").headers().firstValue("Location").orElseThrow();
        String signedIn = codeFrom(tokens.get(browser, authorize));

        for (String location : java.util.List.of(notSignedIn, tooOld)) {
            assertThat(location).startsWith(TestTokens.TEST_APP_REDIRECT);
            assertThat(TestTokens.query(location)).containsEntry("error", "login_required").containsEntry("state", "s5")
                    .doesNotContainKey("code");
        }
        assertThat(signedIn).isNotBlank();
    }

    @Test
    void anAppAskingForATokenForAnotherServerIsRefused() {
        String location = nurseAuthorizing("scope=user/*.rs&state=s1&aud=https://elsewhere.example/fhir");

        assertThat(TestTokens.query(location)).containsEntry("error", "invalid_request").doesNotContainKey("code");
    }

    @Test
    void anAppAskingForTheRecordWithoutAudIsRefusedAtItsRedirectUri() {
        String location = nurseAuthorizing("scope=openid%20user/*.rs&state=s1");

        assertThat(location).startsWith(TestTokens.TEST_APP_REDIRECT);
        assertThat(TestTokens.query(location)).containsEntry("error", "invalid_request").containsEntry("state", "s1")
                .doesNotContainKey("code");
        assertThat(TestTokens.query(location).get("error_description")).contains("aud");
    }

    @Test
    void anAppWithoutStateIsRefused() {
        String location = nurseAuthorizing("scope=openid%20user/*.rs&aud=http://localhost:" + port + "/fhir");

        assertThat(location).startsWith(TestTokens.TEST_APP_REDIRECT);
        assertThat(TestTokens.query(location)).containsEntry("error", "invalid_request").doesNotContainKey("code");
    }

    @Test
    void aPlainOpenIdSignInMayLeaveOutAud() {
        String location = nurseAuthorizing("scope=openid%20fhirUser&state=s1");

        assertThat(TestTokens.query(location)).containsKey("code").doesNotContainKey("error");
    }

    /**
     * Where the authorisation server sends a signed-in nurse's browser for the test app's code request with
     * {@code parameters} (the scope, state and aud the test needs) beside the client, redirect and PKCE challenge.
     */
    private String nurseAuthorizing(String parameters) {
        HttpClient browser = TestTokens.browser();
        signedInNurse(browser);
        String url = "http://localhost:" + port + "/oauth2/authorize?response_type=code&client_id=" + TestTokens.TEST_APP
                + "&redirect_uri=" + TestTokens.TEST_APP_REDIRECT + "&" + parameters
                + "&code_challenge=" + TestTokens.s256("v".repeat(50)) + "&code_challenge_method=S256";
        return tokens.get(browser, url).headers().firstValue("Location").orElseThrow();
    }

    private String absolute(String location) {
        return location.startsWith("http") ? location : "http://localhost:" + port + location;
    }

    private String signedInNurse(HttpClient browser) {
        tokens.bearer(TestTokens.Caller.staff("Practitioner/staff-009", AccessRole.REGISTERED_NURSE));
        String username = nurseUsername();
        tokens.signIn(browser, username, TestTokens.PASSWORD);
        return username;
    }

    private String nurseUsername() {
        return jdbc.queryForObject("select username from auth.account where fhir_user = ? limit 1", String.class,
                "Practitioner/staff-009");
    }

    private static String codeFrom(HttpResponse<String> authorizeResponse) {
        String location = authorizeResponse.headers().firstValue("Location").orElseThrow(() ->
                new AssertionError("no redirect: " + authorizeResponse.statusCode() + " " + authorizeResponse.body()));
        Map<String, String> params = TestTokens.query(location);
        assertThat(params).as(location).containsKey("code");
        return params.get("code");
    }
}
