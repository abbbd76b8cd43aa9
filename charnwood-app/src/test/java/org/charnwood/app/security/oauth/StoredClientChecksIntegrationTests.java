package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registrations stored before today's registration rules, or put in the table some other way, are checked at
 * start-up: one that breaks them is kept but disabled, the log says which and why, and the authorisation and
 * token endpoints treat it as no client at all until it is registered again, corrected.
 */
@ExtendWith(OutputCaptureExtension.class)
class StoredClientChecksIntegrationTests extends CharnwoodIntegrationTest {

    private static final String SECRET = "old-reporting-secret-0123456789abcdefghij";
    private static final TestTokens.Caller ADMIN = TestTokens.Caller.staff("Practitioner/staff-095",
            AccessRole.SYSTEM_ADMINISTRATOR).scopes("charnwood/admin.clients");

    @Autowired
    private StoredClientChecks checks;
    @Autowired
    private ClientStore clients;
    @Autowired
    private PasswordEncoder passwords;

    @org.junit.jupiter.api.AfterEach
    void removeStoredClients() {
        jdbc.update("delete from auth.client where client_id in ('old-reporting', 'old-portal', 'late-reporting')");
    }

    @Test
    void aStoredRegistrationBreakingTheRulesIsDisabledNotDeletedAndRefusedAtBothEndpoints(CapturedOutput log) {
        String hash = passwords.encode(SECRET);
        store("old-reporting", """
                {"clientId":"old-reporting","name":"Old reporting","kind":"confidential-symmetric","secretHash":"%s",
                 "scopes":["system/Patient.rs","system/Foo.rs"],"grantTypes":["client_credentials"]}""".formatted(hash));
        store("old-portal", """
                {"clientId":"old-portal","name":"Old portal","kind":"public",
                 "redirectUris":["http://portal.example/cb"],"scopes":["patient/*.rs"],
                 "grantTypes":["authorization_code"]}""");

        checks.run(null);

        assertThat(token("old-reporting").status()).isEqualTo(401);
        assertThat(token("old-reporting").body()).contains("invalid_client");
        var authorize = authorize("old-portal", "http://portal.example/cb");
        assertThat(authorize.status()).as(authorize.body()).isEqualTo(400);
        assertThat(authorize.header("Location")).isNull();
        assertThat(jdbc.queryForObject("select count(*) from auth.client where client_id in ('old-reporting', "
                + "'old-portal')", Integer.class)).isEqualTo(2);
        assertThat(clients.disabledBecause("old-reporting")).contains("system/Foo.rs");
        assertThat(clients.disabledBecause("old-portal")).contains("must use https");
        assertThat(log.getOut()).contains("Client old-reporting is disabled", "system/Foo.rs",
                "Client old-portal is disabled", "http://portal.example/cb")
                .doesNotContain(SECRET).doesNotContain(hash);
    }

    @Test
    void aDisabledClientRegisteredAgainCorrectedWorksAgain() {
        store("old-reporting", """
                {"clientId":"old-reporting","name":"Old reporting","kind":"confidential-symmetric","secretHash":"%s",
                 "scopes":["system/Foo.rs"],"grantTypes":["client_credentials"]}""".formatted(passwords.encode(SECRET)));
        checks.run(null);

        var put = http.as(tokens.bearer(ADMIN)).put("/api/admin/clients/old-reporting", """
                {"name": "Old reporting", "kind": "confidential-symmetric", "secret": "%s",
                 "scopes": ["system/Patient.rs"]}""".formatted(SECRET), "application/json");
        checks.run(null);

        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(clients.disabledBecause("old-reporting")).isNull();
        assertThat(token("old-reporting").status()).isEqualTo(200);
    }

    @Test
    void aRegistrationPutInTheTableAfterStartUpIsRefusedToo() {
        store("late-reporting", """
                {"clientId":"late-reporting","name":"Late","kind":"confidential-symmetric","secretHash":"%s",
                 "scopes":["system/Patient.rs","system/Foo.rs"],"grantTypes":["client_credentials"]}"""
                .formatted(passwords.encode(SECRET)));

        assertThat(token("late-reporting").status()).isEqualTo(401);
    }

    @Test
    void clientsPassingTheRulesAreLeftAlone() {
        checks.run(null);

        assertThat(jdbc.queryForObject("select count(*) from auth.client where registration ? 'disabledBecause'"
                .replace("registration ? 'disabledBecause'", "jsonb_exists(registration, 'disabledBecause')"),
                Integer.class)).isZero();
        assertThat(clients.findByClientId(CONFIDENTIAL_APP)).isNotNull();
        assertThat(clients.findByClientId(TestTokens.TEST_APP)).isNotNull();
    }

    private void store(String clientId, String registration) {
        jdbc.update("""
                insert into auth.client (client_id, source, registration) values (?, 'admin', ?::jsonb)
                on conflict (client_id) do update set registration = excluded.registration""", clientId, registration);
    }

    private org.charnwood.app.testing.FhirHttp.Response token(String clientId) {
        return http.anonymous().post("/oauth2/token", "grant_type=client_credentials&scope=system/Patient.rs",
                "application/x-www-form-urlencoded", "Authorization", basic(clientId, SECRET));
    }

    private org.charnwood.app.testing.FhirHttp.Response authorize(String clientId, String redirect) {
        return http.anonymous().get("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + redirect + "&scope=openid&state=s1"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
    }
}
