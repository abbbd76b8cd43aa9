package org.charnwood.app.security.oauth;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.StandInIdentityProvider;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refresh gives an app new tokens for the person as their account stands now: not for an account since
 * disabled, locked or removed, with the roles it holds now, never past the first refresh token's expiry, and
 * recorded in the audit trail as that person's sign-in through the app.
 */
class RefreshTokenIntegrationTests extends CharnwoodIntegrationTest {

    private static final String LOGIN = "http://dicom.nema.org/resources/ontology/DCM|110114";

    @Autowired
    RevocationAwareAuthorizations authorizations;

    @Autowired
    org.charnwood.app.testing.RecordedSecurityEvents events;

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void aDisabledAccountsAppGetsNoMoreTokens() throws Exception {
        String account = account("Practitioner/staff-401");
        Tokens issued = offlineGrant(account);

        jdbc.update("update auth.account set enabled = false where id = ?", account);

        assertRefusedAsInvalidGrant(refresh(issued.getRefreshToken()));
    }

    @Test
    void disablingTheAccountWithTheCommandEndsItsAppsAccessTokensAtOnce() throws Exception {
        String account = account("Practitioner/staff-415");
        Tokens issued = offlineGrant(account);
        assertThat(http.as(issued.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(200);

        int status;
        try (java.sql.Connection c = dataSource.getConnection()) {
            status = new org.charnwood.app.security.AccountCommand(c, System.out, System.err, "test-operator",
                    org.charnwood.app.audit.AccountAdministrationCommand::record).run(new String[]{"disable", account});
        }
        // The command runs beside the server, which reads revocations made elsewhere within the interval.
        Thread.sleep(RevocationAwareAuthorizations.SYNC_INTERVAL.toMillis() + 200);

        assertThat(status).isZero();
        assertThat(http.as(issued.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
        assertRefusedAsInvalidGrant(refresh(issued.getRefreshToken()));
        assertThat(jdbc.queryForObject("select count(*) from auth.authorization where principal = ?", Integer.class,
                account)).isZero();
    }

    @Test
    void norDoesALockedOrARemovedAccounts() throws Exception {
        String locked = account("Practitioner/staff-402");
        Tokens lockedGrant = offlineGrant(locked);
        String removed = account("Practitioner/staff-403");
        Tokens removedGrant = offlineGrant(removed);

        jdbc.update("update auth.account set locked_until = ? where id = ?",
                java.sql.Timestamp.from(clock.instant().plusSeconds(900)), locked);
        jdbc.update("delete from auth.account where id = ?", removed);

        assertRefusedAsInvalidGrant(refresh(lockedGrant.getRefreshToken()));
        assertRefusedAsInvalidGrant(refresh(removedGrant.getRefreshToken()));
    }

    @Test
    void aRefreshCarriesTheRolesTheAccountHoldsNowAndIsRecordedAsASignIn() throws Exception {
        String account = account("Practitioner/staff-404");
        Tokens issued = offlineGrant(account);
        long before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);

        jdbc.update("update auth.account set roles = 'HEALTH_CARE_ASSISTANT' where id = ?", account);
        TokenResponse refreshed = refresh(issued.getRefreshToken());

        assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
        assertThat(roles(issued)).containsExactly("REGISTERED_NURSE");
        assertThat(roles(refreshed.toSuccessResponse().getTokens())).containsExactly("HEALTH_CARE_ASSISTANT");
        assertThat(jdbc.queryForList("select outcome::int as outcome, content from audit.event where seq > ?"
                + " and type = ? and subtype = '110122'", before, LOGIN)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("outcome", 0);
            assertThat((String) row.get("content")).contains("account " + account);
        });
    }

    @Test
    void aRefreshCarriesOnlyTheScopesTheClientIsStillRegisteredFor() throws Exception {
        Tokens issued = offlineGrant(account("Practitioner/staff-406"));
        String registration = jdbc.queryForObject("select registration::text from auth.client where client_id = ?",
                String.class, CONFIDENTIAL_APP);
        try {
            // The trust narrows the app to patient-facing scopes: its staff-facing grant loses user/Patient.rs.
            jdbc.update("update auth.client set registration = jsonb_set(registration, '{scopes}', '[\"patient/*.cruds\"]')"
                    + " where client_id = ?", CONFIDENTIAL_APP);
            TokenResponse refreshed = refresh(issued.getRefreshToken());

            assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
            assertThat(scopes(issued)).contains("user/Patient.rs");
            assertThat(scopes(refreshed.toSuccessResponse().getTokens())).doesNotContain("user/Patient.rs")
                    .contains("offline_access");
            // The response's scope says what the token carries, not what the grant once had.
            assertThat(refreshed.toSuccessResponse().getTokens().getAccessToken().getScope().toStringList())
                    .containsExactlyInAnyOrderElementsOf(scopes(refreshed.toSuccessResponse().getTokens()));
        } finally {
            jdbc.update("update auth.client set registration = ?::jsonb where client_id = ?", registration,
                    CONFIDENTIAL_APP);
        }
    }

    @Test
    void aCarersAppGetsNoMoreTokensOnceThePatientWithdrawsTheirAccessAndIsNotToldWhose() throws Exception {
        String patient = "refresh-cared-for-" + UUID.randomUUID().toString().substring(0, 8);
        String carer = "refresh-carer-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(http.put("/fhir/Patient/" + patient, """
                {"resourceType":"Patient","id":"%s","name":[{"family":"Cared","given":["For"]}]}""".formatted(patient),
                "application/fhir+json").status()).isIn(200, 201);
        assertThat(http.put("/fhir/RelatedPerson/" + carer, """
                {"resourceType":"RelatedPerson","id":"%s","active":true,"patient":{"reference":"Patient/%s"}}"""
                .formatted(carer, patient), "application/fhir+json").status()).isIn(200, 201);
        assertThat(http.put("/fhir/Consent/proxy-" + carer, proxyConsent(carer, patient, "active"),
                "application/fhir+json").status()).isIn(200, 201);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.carer(carer, patient)), TestTokens.PASSWORD);
        Tokens issued = grant(browser, "offline_access launch/patient", "patient/*.rs");
        TokenResponse whileCaring = refresh(issued.getRefreshToken());
        assertThat(whileCaring.indicatesSuccess()).as(String.valueOf(whileCaring)).isTrue();

        // The patient stops the carer's access.
        assertThat(http.put("/fhir/Consent/proxy-" + carer, proxyConsent(carer, patient, "inactive"),
                "application/fhir+json").status()).isEqualTo(200);
        TokenResponse afterWithdrawal = refresh(whileCaring.toSuccessResponse().getTokens().getRefreshToken());

        assertRefusedAsInvalidGrant(afterWithdrawal);
        assertThat(String.valueOf(((TokenErrorResponse) afterWithdrawal).getErrorObject().getDescription()))
                .doesNotContain(patient).doesNotContain("Cared");
    }

    private static String proxyConsent(String carer, String patient, String status) {
        return """
                {"resourceType":"Consent","id":"proxy-%s","status":"%s",
                 "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},
                 "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],
                 "patient":{"reference":"Patient/%s"},
                 "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},
                 "provision":{"type":"permit","actor":[{"role":{"coding":[{"system":
                   "http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"PROV"}]},
                   "reference":{"reference":"RelatedPerson/%s"}}]}}""".formatted(carer, status, patient, carer);
    }

    @Test
    void introspectionReportsTheScopesTheTokenCarriesNotThoseTheAppAskedFor() throws Exception {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, account("Practitioner/staff-413"), TestTokens.PASSWORD);
        // launch is asked for without a launch, so the token does not carry it.
        Tokens issued = grant(browser, "offline_access launch");
        List<String> introspectedFirst = introspectedScopes(issued);
        String registration = jdbc.queryForObject("select registration::text from auth.client where client_id = ?",
                String.class, CONFIDENTIAL_APP);
        Tokens refreshed;
        try {
            // The trust narrows the app: its refreshed token loses user/Patient.rs, which the grant still names.
            jdbc.update("update auth.client set registration = jsonb_set(registration, '{scopes}', '[\"patient/*.cruds\"]')"
                    + " where client_id = ?", CONFIDENTIAL_APP);
            refreshed = refresh(issued.getRefreshToken()).toSuccessResponse().getTokens();
        } finally {
            jdbc.update("update auth.client set registration = ?::jsonb where client_id = ?", registration,
                    CONFIDENTIAL_APP);
        }

        assertThat(scopes(issued)).doesNotContain("launch");
        assertThat(introspectedFirst).containsExactlyInAnyOrderElementsOf(scopes(issued));
        assertThat(scopes(refreshed)).doesNotContain("launch", "user/Patient.rs");
        assertThat(introspectedScopes(refreshed)).containsExactlyInAnyOrderElementsOf(scopes(refreshed));
    }

    @Test
    void aRefreshMayNarrowAGrantToOneTypeAndTheTokenReadsOnlyThatType() throws Exception {
        Tokens issued = patientGrant("rt-narrow-1", "patient/*.rs");
        // The grant reads the patient's own record; the narrowed token will not.
        assertThat(new org.charnwood.app.testing.FhirHttp(port, issued.getAccessToken().getValue())
                .get("/fhir/Patient/rt-narrow-1").status()).isEqualTo(200);

        TokenResponse refreshed = refresh(issued.getRefreshToken(), "launch/patient patient/Observation.rs");

        assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
        Tokens narrowed = refreshed.toSuccessResponse().getTokens();
        assertThat(scopes(narrowed)).containsExactlyInAnyOrder("launch/patient", "patient/Observation.rs");
        assertThat(narrowed.getAccessToken().getScope().toStringList())
                .containsExactlyInAnyOrder("launch/patient", "patient/Observation.rs");
        assertThat(introspectedScopes(narrowed)).containsExactlyInAnyOrder("launch/patient", "patient/Observation.rs");
        var fhir = new org.charnwood.app.testing.FhirHttp(port, narrowed.getAccessToken().getValue());
        assertThat(fhir.get("/fhir/Observation/rt-narrow-1-obs").status()).isEqualTo(200);
        assertThat(fhir.get("/fhir/Patient/rt-narrow-1").status()).isEqualTo(403);
    }

    @Test
    void aVersionOneReadNarrowsAWildcardGrant() throws Exception {
        Tokens issued = patientGrant("rt-narrow-2", "patient/*.rs");

        TokenResponse refreshed = refresh(issued.getRefreshToken(), "patient/Observation.read");

        assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
        assertThat(scopes(refreshed.toSuccessResponse().getTokens())).containsExactly("patient/Observation.read");
    }

    @Test
    void aRefreshMayNarrowTheGrantsPermissions() throws Exception {
        Tokens issued = patientGrant("rt-narrow-3", "patient/Observation.rs");

        TokenResponse refreshed = refresh(issued.getRefreshToken(), "launch/patient patient/Observation.r");

        assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
        Tokens narrowed = refreshed.toSuccessResponse().getTokens();
        assertThat(scopes(narrowed)).containsExactlyInAnyOrder("launch/patient", "patient/Observation.r");
        var fhir = new org.charnwood.app.testing.FhirHttp(port, narrowed.getAccessToken().getValue());
        assertThat(fhir.get("/fhir/Observation/rt-narrow-3-obs").status()).isEqualTo(200);
        assertThat(fhir.get("/fhir/Observation?patient=rt-narrow-3").status()).isEqualTo(403);
    }

    @Test
    void aRefreshAskingForMoreThanTheGrantIsRefused() throws Exception {
        Tokens issued = patientGrant("rt-narrow-4", "patient/Observation.rs");

        for (String wider : new String[]{"patient/*.rs", "patient/Observation.cruds", "user/Observation.rs",
                "patient/Condition.rs", "patient/Observation.write", "patient/Foo.rs", "fhirUser"}) {
            TokenResponse refused = refresh(issued.getRefreshToken(), wider);
            assertThat(refused.indicatesSuccess()).as(wider).isFalse();
            assertThat(((TokenErrorResponse) refused).getErrorObject().getCode()).as(wider).isEqualTo("invalid_scope");
        }
        // A refusal ends nothing: the grant still refreshes.
        assertThat(refresh(issued.getRefreshToken()).indicatesSuccess()).isTrue();
    }

    @Test
    void aGrantRestrictedByASearchCoversOnlyThatSearch() throws Exception {
        Tokens issued = patientGrant("rt-narrow-5", "patient/Observation.rs?category=vital-signs");

        TokenResponse other = refresh(issued.getRefreshToken(), "patient/Observation.rs?category=laboratory");
        TokenResponse whole = refresh(issued.getRefreshToken(), "patient/Observation.rs");
        TokenResponse same = refresh(issued.getRefreshToken(), "patient/Observation.s?category=vital-signs");

        assertThat(((TokenErrorResponse) other).getErrorObject().getCode()).isEqualTo("invalid_scope");
        assertThat(((TokenErrorResponse) whole).getErrorObject().getCode()).isEqualTo("invalid_scope");
        assertThat(same.indicatesSuccess()).as(String.valueOf(same)).isTrue();
        assertThat(scopes(same.toSuccessResponse().getTokens()))
                .containsExactly("patient/Observation.s?category=vital-signs");
    }

    /** A patient with a record and one Observation, who authorises the confidential app for these scopes. */
    private Tokens patientGrant(String patient, String data) throws Exception {
        storePatientAndEncounter(patient, null);
        var stored = http.put("/fhir/Observation/" + patient + "-obs", """
                {"resourceType":"Observation","id":"%s-obs","status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                 "subject":{"reference":"Patient/%s"},"valueQuantity":{"value":72,"unit":"/min"}}"""
                .formatted(patient, patient), "application/fhir+json");
        assertThat(stored.status()).as(stored.body()).isIn(200, 201);
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.patient(patient)), TestTokens.PASSWORD);
        return grant(browser, "offline_access", "launch/patient " + data);
    }

    private TokenResponse refresh(RefreshToken token, String scope) throws Exception {
        return TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"), app(), new RefreshTokenGrant(token),
                new Scope(scope.split(" "))).toHTTPRequest().send());
    }

    private List<String> introspectedScopes(Tokens issued) throws Exception {
        var answer = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(endpoint("/oauth2/introspect"),
                app(), issued.getAccessToken()).toHTTPRequest().send()).toSuccessResponse();
        assertThat(answer.isActive()).isTrue();
        return answer.getScope().toStringList();
    }

    @Test
    void aReplacedRefreshTokenPresentedAgainEndsTheWholeGrant() throws Exception {
        Tokens issued = offlineGrant(account("Practitioner/staff-407"));
        Tokens newer = refresh(issued.getRefreshToken()).toSuccessResponse().getTokens();
        assertThat(http.as(newer.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(200);

        // The first refresh token again: copied, or replayed. Neither copy keeps the grant.
        assertRefusedAsInvalidGrant(refresh(issued.getRefreshToken()));

        assertRefusedAsInvalidGrant(refresh(newer.getRefreshToken()));
        Thread.sleep(RevocationAwareAuthorizations.SYNC_INTERVAL.toMillis() + 200);
        assertThat(http.as(newer.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
    }

    @Test
    void aRefreshEndsTheAccessTokenItReplacesSoRevokingTheGrantLeavesNoneWorking() throws Exception {
        Tokens issued = offlineGrant(account("Practitioner/staff-414"));
        assertThat(http.as(issued.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(200);
        Tokens newer = refresh(issued.getRefreshToken()).toSuccessResponse().getTokens();

        // The replaced access token is what introspection says it is: no longer active.
        assertThat(introspection(issued).isActive()).isFalse();
        assertThat(http.as(issued.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
        assertThat(http.as(newer.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(200);

        // Revoking the refresh token ends every access token of the grant (RFC 7009 section 2.1).
        var revoked = new TokenRevocationRequest(endpoint("/oauth2/revoke"), app(), newer.getRefreshToken())
                .toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        for (Tokens t : List.of(issued, newer)) {
            assertThat(http.as(t.getAccessToken().getValue()).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
        }
    }

    private com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse introspection(Tokens issued) throws Exception {
        return TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(endpoint("/oauth2/introspect"), app(),
                issued.getAccessToken()).toHTTPRequest().send()).toSuccessResponse();
    }

    @Test
    void aRotatedRefreshTokenExpiresWhenTheFirstOneWould() throws Exception {
        Tokens issued = offlineGrant(account("Practitioner/staff-405"));
        Instant first = refreshExpiry(issued.getRefreshToken());

        Tokens second = refresh(issued.getRefreshToken()).toSuccessResponse().getTokens();
        Instant secondExpiry = refreshExpiry(second.getRefreshToken());
        Tokens third = refresh(second.getRefreshToken()).toSuccessResponse().getTokens();

        assertThat(first).isAfter(Instant.now().plus(java.time.Duration.ofDays(29)));
        assertThat(secondExpiry).isEqualTo(first);
        assertThat(refreshExpiry(third.getRefreshToken())).isEqualTo(first);
    }

    @Test
    void aFederatedPersonsRefreshTakesTheRolesOfTheirLatestSignIn() throws Exception {
        String subject = "cis2-" + UUID.randomUUID();
        HttpClient earlier = TestTokens.browser();
        StandInIdentityProvider.get().nextUser(Map.of("sub", subject, "acr", "AAL2_OR_AAL3_ANY", "nhsid_nrbac_roles",
                List.of(Map.of("role_code", "S8000:G8000:R8000"))));
        signInThroughCis2(earlier);
        // Nationally, the clinician role has since given way to the nurse's.
        HttpClient later = TestTokens.browser();
        StandInIdentityProvider.get().nextUser(Map.of("sub", subject, "acr", "AAL2_OR_AAL3_ANY", "nhsid_nrbac_roles",
                List.of(Map.of("role_code", "S8000:G8000:R8001"))));
        signInThroughCis2(later);
        Tokens issued = offlineGrant(later);

        TokenResponse refreshed = refresh(issued.getRefreshToken());

        assertThat(roles(issued)).containsExactly("REGISTERED_NURSE");
        assertThat(roles(refreshed.toSuccessResponse().getTokens())).containsExactly("REGISTERED_NURSE");
    }

    @Test
    void onlineAccessRefreshesOnlyWhileThePersonIsSignedIn() throws Exception {
        HttpClient browser = TestTokens.browser();
        String username = account("Practitioner/staff-411");
        tokens.signIn(browser, username, TestTokens.PASSWORD);
        Tokens online = grant(browser, "online_access");
        Tokens offline = grant(browser, "offline_access");

        TokenResponse whileSignedIn = refresh(online.getRefreshToken());
        signOut(browser);
        TokenResponse afterSignOut = refresh(whileSignedIn.toSuccessResponse().getTokens().getRefreshToken());
        TokenResponse offlineAfterSignOut = refresh(offline.getRefreshToken());

        assertThat(whileSignedIn.indicatesSuccess()).isTrue();
        assertRefusedAsInvalidGrant(afterSignOut);
        assertThat(offlineAfterSignOut.indicatesSuccess()).isTrue();
    }

    @Test
    void onlineAccessEndsWhenTheSessionTimesOut() throws Exception {
        HttpClient browser = TestTokens.browser();
        String username = account("Practitioner/staff-412");
        tokens.signIn(browser, username, TestTokens.PASSWORD);
        Tokens online = grant(browser, "online_access");

        clock.advance(java.time.Duration.ofMinutes(16));

        assertRefusedAsInvalidGrant(refresh(online.getRefreshToken()));
    }

    @Test
    void onlineAccessEndsWhenSomeoneElseSignsInOnTheSameBrowser() throws Exception {
        HttpClient browser = TestTokens.browser();
        String first = account("Practitioner/staff-413");
        tokens.signIn(browser, first, TestTokens.PASSWORD);
        Tokens online = grant(browser, "online_access");
        String firstId = jdbc.queryForObject("select id from auth.account where username = ?", String.class, first);

        String next = tokens.signIn(browser, account("Practitioner/staff-414"), TestTokens.PASSWORD);

        assertThat(next).endsWith("/signin/done");
        assertRefusedAsInvalidGrant(refresh(online.getRefreshToken()));
        assertThat(events.signOuts(firstId)).singleElement().satisfies(e -> assertThat(e.timedOut()).isFalse());
    }

    private void signOut(HttpClient browser) {
        String page = tokens.get(browser, "http://localhost:" + port + "/signin/done").body();
        String csrf = page.replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");
        var r = tokens.postForm(browser, "http://localhost:" + port + "/signout", java.util.Map.of("_csrf", csrf), true);
        assertThat(r.statusCode()).isEqualTo(302);
    }

    private String account(String practitioner) {
        return tokens.account(TestTokens.Caller.staff(practitioner, AccessRole.REGISTERED_NURSE));
    }

    private Tokens offlineGrant(String username) throws Exception {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, username, TestTokens.PASSWORD);
        return offlineGrant(browser);
    }

    /** The confidential app authorised with {@code offline_access} by the person signed in on the browser. */
    private Tokens offlineGrant(HttpClient browser) throws Exception {
        return grant(browser, "offline_access");
    }

    /** The confidential app authorised with {@code offline_access} or {@code online_access}. */
    private Tokens grant(HttpClient browser, String access) throws Exception {
        return grant(browser, access, "user/Patient.rs");
    }

    /** The confidential app authorised for these scopes (a patient or carer allows it when asked). */
    private Tokens grant(HttpClient browser, String access, String data) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(CONFIDENTIAL_APP))
                .endpointURI(endpoint("/oauth2/authorize")).redirectionURI(URI.create(TestTokens.TEST_APP_REDIRECT))
                .scope(new Scope(("openid " + access + " " + data).split(" ")))
                .state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("aud", endpoint("/fhir").toString()).build();
        String asked = tokens.get(browser, authorize.toURI().toString()).headers().firstValue("Location").orElseThrow();
        String location = TestTokens.isConsentPage(asked) ? tokens.answerConsent(browser, asked, true) : asked;
        String code = TestTokens.query(location).get("code");
        return TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"), app(),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(TestTokens.TEST_APP_REDIRECT), verifier))
                .toHTTPRequest().send()).toSuccessResponse().getTokens();
    }

    private void signInThroughCis2(HttpClient browser) {
        var start = tokens.get(browser, "http://localhost:" + port + "/oauth2/authorization/cis2");
        var atProvider = tokens.get(browser, start.headers().firstValue("Location").orElseThrow());
        var back = tokens.get(browser, atProvider.headers().firstValue("Location").orElseThrow());
        assertThat(back.headers().firstValue("Location").orElse("")).endsWith("/signin/done");
    }

    private TokenResponse refresh(RefreshToken token) throws Exception {
        return TokenResponse.parse(new TokenRequest(endpoint("/oauth2/token"), app(), new RefreshTokenGrant(token))
                .toHTTPRequest().send());
    }

    private Instant refreshExpiry(RefreshToken token) {
        return authorizations.findByToken(token.getValue(), OAuth2TokenType.REFRESH_TOKEN).getRefreshToken()
                .getToken().getExpiresAt();
    }

    private static List<String> scopes(Tokens tokens) throws Exception {
        return List.of(JWTParser.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet().getStringClaim("scope")
                .split(" "));
    }

    private static List<String> roles(Tokens tokens) throws Exception {
        return JWTParser.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet().getStringListClaim("roles");
    }

    private static void assertRefusedAsInvalidGrant(TokenResponse response) {
        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) response).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(((TokenErrorResponse) response).getErrorObject().getHTTPStatusCode()).isEqualTo(400);
    }

    private static ClientSecretBasic app() {
        return new ClientSecretBasic(new ClientID(CONFIDENTIAL_APP), new Secret(CONFIDENTIAL_APP_SECRET));
    }

    private URI endpoint(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
