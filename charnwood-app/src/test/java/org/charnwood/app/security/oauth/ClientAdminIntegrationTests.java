package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/admin/clients}: only system administrators register apps; secrets are never shown back. */
class ClientAdminIntegrationTests extends CharnwoodIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    private ClientStore clients;

    @org.springframework.beans.factory.annotation.Autowired
    private RegistrationChanges changes;

    private static final String APP = """
            {"name": "Vitals app", "kind": "confidential-symmetric", "secret": "a-secret-of-at-least-thirty-two-characters",
             "redirectUris": ["https://vitals.example/callback"], "scopes": ["user/Observation.rs"],
             "grantTypes": ["authorization_code"]}""";
    /** A system administrator through an app granted the client administration scope. */
    private static final TestTokens.Caller ADMIN = TestTokens.Caller.staff("Practitioner/staff-090",
            AccessRole.SYSTEM_ADMINISTRATOR).scopes("charnwood/admin.clients");

    @Test
    void aSystemAdministratorRegistersListsAndRemovesAClient() {
        var admin = http.as(tokens.bearer(ADMIN));

        var put = admin.put("/api/admin/clients/vitals-app", APP, "application/json");
        var list = admin.get("/api/admin/clients");
        var stored = jdbc.queryForObject("select registration::text from auth.client where client_id = 'vitals-app'", String.class);
        var delete = admin.delete("/api/admin/clients/vitals-app");

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body()).doesNotContain("a-secret-of");
        assertThat(list.body()).contains("vitals-app", "Vitals app");
        assertThat(stored).contains("$argon2id$").doesNotContain("a-secret-of");
        assertThat(delete.status()).isEqualTo(204);
    }

    @Test
    void anIncompleteRegistrationIsRefusedSayingWhatIsMissing() {
        var admin = http.as(tokens.bearer(ADMIN));

        var empty = admin.put("/api/admin/clients/half-app", "{\"name\":\"Half an app\"}", "application/json");
        var nameless = admin.put("/api/admin/clients/half-app", "{\"kind\":\"public\"}", "application/json");

        assertThat(empty.status()).as(empty.body()).isEqualTo(400);
        assertThat(empty.body()).contains("kind");
        assertThat(nameless.body()).contains("name");
        assertThat(nameless.status()).as(nameless.body()).isEqualTo(400);
        assertThat(admin.get("/api/admin/clients/half-app").status()).isEqualTo(404);
    }

    @Test
    void aRegistrationThatWouldSendCodesAstrayOrFailItsClientIsRefusedSayingWhatIsWrong() {
        var admin = http.as(tokens.bearer(ADMIN));
        String[][] refused = {
                {"{\"kind\":\"public\",\"redirectUris\":[\"https://app.example/cb#frag\"],\"scopes\":[\"patient/*.rs\"]}", "fragment"},
                {"{\"kind\":\"public\",\"redirectUris\":[\"javascript:alert(1)\"],\"scopes\":[\"patient/*.rs\"]}", "absolute https"},
                {"{\"kind\":\"public\",\"redirectUris\":[\"http://evil.example/cb\"],\"scopes\":[\"patient/*.rs\"]}", "must use https"},
                {"{\"kind\":\"public\",\"redirectUris\":[\"https://user:pw@app.example/cb\"],\"scopes\":[\"patient/*.rs\"]}", "user name"},
                {"{\"kind\":\"public\",\"redirectUris\":[\"https://app.example/cb\"],\"scopes\":[\"patient/Foo.rs\"]}", "patient/Foo.rs"},
                {"{\"kind\":\"public\",\"redirectUris\":[\"https://app.example/cb\"],\"scopes\":[\"bogus scope\\\"x\"]}", "bogus scope"},
                {"{\"kind\":\"confidential-asymmetric\",\"jwks\":\"not json\",\"scopes\":[\"system/*.rs\"]}", "JSON Web Key Set"},
                {"{\"kind\":\"confidential-asymmetric\",\"jwksUri\":\"http://169.254.169.254/latest/meta-data\",\"scopes\":[\"system/*.rs\"]}", "https"},
                {"{\"kind\":\"confidential-asymmetric\",\"jwksUri\":\"https://169.254.169.254/latest\",\"scopes\":[\"system/*.rs\"]}", "link-local"},
                {"{\"kind\":\"confidential-asymmetric\",\"jwksUri\":\"https://10.1.2.3/jwks\",\"scopes\":[\"system/*.rs\"]}", "private"},
                {"{\"kind\":\"public\",\"scopes\":[\"patient/*.rs\"]}", "redirect URI"},
                {"{\"kind\":\"public\",\"secret\":\"a-secret-of-at-least-thirty-two-characters\",\"redirectUris\":[\"https://app.example/cb\"],\"scopes\":[\"patient/*.rs\"]}", "only a confidential-symmetric client has a secret"},
                {"{\"kind\":\"public\",\"redirectUris\":[\"https://app.example/cb\"],\"scopes\":[\"system/*.rs\"],\"grantTypes\":[\"client_credentials\"]}", "cannot use client_credentials"},
                {"{\"kind\":\"confidential-asymmetric\",\"scopes\":[\"system/*.rs\"]}", "needs jwks or jwksUri"},
        };
        for (String[] r : refused) {
            String body = "{\"name\":\"Bad app\"," + r[0].substring(1);
            var put = admin.put("/api/admin/clients/bad-app", body, "application/json");
            assertThat(put.status()).as(body + " -> " + put.body()).isEqualTo(400);
            assertThat(put.body()).as(body).contains(r[1]);
        }
        assertThat(admin.get("/api/admin/clients/bad-app").status()).isEqualTo(404);
    }

    @Test
    void aNativeAppMayBeSentBackToTheSameMachineOverPlainHttp() {
        var admin = http.as(tokens.bearer(ADMIN));
        for (String redirect : java.util.List.of("http://127.0.0.1/bench-callback", "http://[::1]:8080/cb",
                "http://localhost/cb", "https://app.example/cb?x=1")) {
            var put = admin.put("/api/admin/clients/native-app", """
                    {"name": "Native app", "kind": "public", "redirectUris": ["%s"],
                     "scopes": ["openid", "fhirUser", "launch/patient", "offline_access", "patient/Observation.rs",
                                "user/*.read", "charnwood/launch"]}""".formatted(redirect), "application/json");
            assertThat(put.status()).as(redirect + " -> " + put.body()).isEqualTo(200);
        }
    }

    @Test
    void aClientInSettingsWithAnInsecureRedirectStopsStartUp() {
        var settings = new org.charnwood.app.security.web.SecuritySettings.ClientSettings("from-settings", "X",
                ClientRegistration.PUBLIC, null, null, null, java.util.List.of("http://evil.example/cb"),
                java.util.List.of("patient/*.rs"), null, null);
        var configured = new ConfiguredClients(clients, changes, new org.charnwood.app.security.web.SecuritySettings(null, null,
                false, null, null, null, null, null, java.util.List.of(settings), null, null),
                org.springframework.security.crypto.argon2.Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                new org.springframework.mock.env.MockEnvironment());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> configured.run(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("charnwood.security.clients").hasMessageContaining("from-settings")
                .hasMessageContaining("must use https");
        assertThat(clients.find("from-settings")).isNull();
    }

    @Test
    void aClientInSettingsWithAShortOrEmptySecretStopsStartUp() {
        // As the admin API requires; an empty one is what an unset ${REPORTING_CLIENT_SECRET:} gives.
        for (String secret : new String[] {"x", "", null}) {
            var settings = new org.charnwood.app.security.web.SecuritySettings.ClientSettings("reporting", "Reporting",
                    ClientRegistration.SYMMETRIC, secret, null, null, java.util.List.of(),
                    java.util.List.of("system/*.rs"), java.util.List.of("client_credentials"), null);
            var configured = new ConfiguredClients(clients, changes, new org.charnwood.app.security.web.SecuritySettings(null,
                    null, false, null, null, null, null, null, java.util.List.of(settings), null, null),
                    org.springframework.security.crypto.argon2.Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                    new org.springframework.mock.env.MockEnvironment());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> configured.run(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("charnwood.security.clients: client reporting is confidential-symmetric and needs a "
                            + "secret of at least 32 characters");
            assertThat(clients.find("reporting")).isNull();
        }
    }

    @Test
    void otherStaffAndAnonymousCallersCannotManageClients() {
        var nurse = http.as(tokens.bearer(TestTokens.Caller.staff("Practitioner/staff-091", AccessRole.REGISTERED_NURSE)
                .scopes("charnwood/admin.clients")));

        assertThat(nurse.put("/api/admin/clients/x", APP, "application/json").status()).isEqualTo(403);
        assertThat(http.anonymous().get("/api/admin/clients").status()).isEqualTo(401);
    }

    @Test
    void aClientRegisteredThroughTheApiCanGetTokens() {
        var admin = http.as(tokens.bearer(ADMIN));
        admin.put("/api/admin/clients/reporting", """
                {"name": "Reporting", "kind": "confidential-symmetric", "secret": "reporting-secret-0123456789abcdefghij",
                 "scopes": ["system/Patient.rs"]}""", "application/json");

        var r = http.anonymous().post("/oauth2/token", "grant_type=client_credentials&scope=system/Patient.rs",
                "application/x-www-form-urlencoded", "Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("reporting:reporting-secret-0123456789abcdefghij".getBytes()));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("access_token");
    }

    @Test
    void removingAClientEndsItsTokensAndWhatPeopleAllowedIt() throws Exception {
        var admin = http.as(tokens.bearer(ADMIN));
        admin.put("/api/admin/clients/withdrawn-feed", """
                {"name": "Withdrawn feed", "kind": "confidential-symmetric", "secret": "withdrawn-secret-0123456789abcdefghij",
                 "scopes": ["system/Patient.rs"]}""", "application/json");
        var issued = http.anonymous().post("/oauth2/token", "grant_type=client_credentials&scope=system/Patient.rs",
                "application/x-www-form-urlencoded", "Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("withdrawn-feed:withdrawn-secret-0123456789abcdefghij".getBytes()));
        String token = tools.jackson.databind.json.JsonMapper.builder().build().readTree(issued.body())
                .get("access_token").asString();
        jdbc.update("insert into auth.authorization_consent (registered_client, principal, authorities) "
                + "values ('withdrawn-feed', 'someone', 'SCOPE_patient/*.rs')");
        assertThat(http.as(token).get("/fhir/Patient?_count=1").status()).isEqualTo(200);

        var delete = admin.delete("/api/admin/clients/withdrawn-feed");

        assertThat(delete.status()).isEqualTo(204);
        // At once at this instance; another instance learns of the revocation within a second.
        assertThat(http.as(token).get("/fhir/Patient?_count=1").status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("select count(*) from auth.authorization where registered_client = 'withdrawn-feed'",
                Integer.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from auth.authorization_consent where registered_client = "
                + "'withdrawn-feed'", Integer.class)).isZero();
    }

    @Test
    void onlyTheGrantsTheTokenEndpointServesCanBeRegistered() {
        var admin = http.as(tokens.bearer(ADMIN));

        var exchange = admin.put("/api/admin/clients/exchanger", """
                {"name": "Exchanger", "kind": "confidential-symmetric", "secret": "exchanger-secret-0123456789abcdefghij",
                 "scopes": ["user/*.cruds"], "grantTypes": ["urn:ietf:params:oauth:grant-type:token-exchange"]}""",
                "application/json");
        var deviceCode = admin.put("/api/admin/clients/exchanger", """
                {"name": "Exchanger", "kind": "public", "redirectUris": ["https://x.example/cb"],
                 "scopes": ["user/*.cruds"], "grantTypes": ["authorization_code", "urn:ietf:params:oauth:grant-type:device_code"]}""",
                "application/json");

        assertThat(exchange.status()).isEqualTo(400);
        assertThat(exchange.body()).contains("grant types");
        assertThat(deviceCode.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from auth.client where client_id = 'exchanger'", Integer.class))
                .isZero();
    }

    @Test
    void theTokenEndpointRefusesTokenExchangeEvenForAClientStoredWithThatGrant() {
        // As a registration saved before such grants were refused would be.
        jdbc.update("""
                insert into auth.client (client_id, source, registration) values ('old-exchanger', 'admin', ?::jsonb)
                on conflict (client_id) do update set registration = excluded.registration""", """
                {"clientId": "old-exchanger", "name": "Old", "kind": "confidential-symmetric",
                 "secretHash": "%s", "scopes": ["user/*.cruds"],
                 "grantTypes": ["urn:ietf:params:oauth:grant-type:token-exchange", "client_credentials"]}"""
                .formatted("{argon2}" + org.springframework.security.crypto.argon2.Argon2PasswordEncoder
                        .defaultsForSpringSecurity_v5_8().encode("old-exchanger-secret-0123456789abcdefg")));
        String usersToken = tokens.bearer(TestTokens.Caller.staff("Practitioner/staff-092", AccessRole.CLINICIAN));

        var r = http.anonymous().post("/oauth2/token", "grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange")
                        + "&subject_token=" + usersToken
                        + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:access_token")
                        + "&scope=" + enc("user/*.cruds"),
                "application/x-www-form-urlencoded", "Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("old-exchanger:old-exchanger-secret-0123456789abcdefg".getBytes()));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("unsupported_grant_type").doesNotContain("access_token");
    }

    @Test
    void aClientInSettingsWithAnUnservedGrantIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClientRegistration("x", "X", ClientRegistration.PUBLIC,
                        null, null, null, java.util.List.of("https://x.example/cb"), java.util.List.of("user/*.rs"),
                        java.util.List.of("urn:ietf:params:oauth:grant-type:token-exchange"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grant types");
    }

    @Test
    void aPatientIsAskedBeforeAnAppWithOnlyUserScopesByDefault() {
        var admin = http.as(tokens.bearer(ADMIN));
        var put = admin.put("/api/admin/clients/user-scoped-app", """
                {"name": "User-scoped app", "kind": "public", "redirectUris": ["%s"], "scopes": ["user/*.rs"]}"""
                .formatted(TestTokens.TEST_APP_REDIRECT), "application/json");
        var browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(TestTokens.Caller.patient("p-user-scoped")), TestTokens.PASSWORD);
        String base = "http://localhost:" + port;

        String next = tokens.get(browser, base + "/oauth2/authorize?response_type=code&client_id=user-scoped-app"
                + "&redirect_uri=" + enc(TestTokens.TEST_APP_REDIRECT) + "&scope=" + enc("openid user/*.rs")
                + "&state=s1&aud=" + enc(base + "/fhir") + "&code_challenge=" + TestTokens.s256("v".repeat(50))
                + "&code_challenge_method=S256").headers().firstValue("Location").orElseThrow();

        assertThat(put.body()).contains("\"consent\":\"required\"");
        assertThat(TestTokens.isConsentPage(next)).as(next).isTrue();
    }

    @Test
    void aClientSecretHashedWithTheOldArgon2ParametersStillWorksAndIsUpgraded() {
        String secret = "old-params-secret-0123456789abcdefghij";
        jdbc.update("""
                insert into auth.client (client_id, source, registration) values ('old-params', 'admin', ?::jsonb)
                on conflict (client_id) do update set registration = excluded.registration""", """
                {"clientId": "old-params", "name": "Old", "kind": "confidential-symmetric", "secretHash": "%s",
                 "scopes": ["system/Patient.rs"], "grantTypes": ["client_credentials"]}"""
                .formatted("{argon2}" + org.springframework.security.crypto.argon2.Argon2PasswordEncoder
                        .defaultsForSpringSecurity_v5_8().encode(secret)));

        var r = http.anonymous().post("/oauth2/token", "grant_type=client_credentials&scope=system/Patient.rs",
                "application/x-www-form-urlencoded", "Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("old-params:" + secret).getBytes()));
        String stored = jdbc.queryForObject(
                "select registration->>'secretHash' from auth.client where client_id = 'old-params'", String.class);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(stored).startsWith("{argon2}$argon2id$v=19$m=19456,t=2,p=1$");
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
