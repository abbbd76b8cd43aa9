package org.charnwood.app.security.web;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.TestTokens.Caller;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The APIs outside {@code /fhir} take a bearer token only when it was granted their scope: a person's role is not
 * enough through an app that was only given sign-in ({@code openid fhirUser}), and a client may only be given the
 * scopes it was registered for.
 */
class ApiScopesIntegrationTests extends CharnwoodIntegrationTest {

    private static final String APP = """
            {"name": "Evil", "kind": "confidential-asymmetric", "jwksUri": "https://evil.example/jwks",
             "scopes": ["system/*.cruds"]}""";
    private static final String EMERGENCY = "{\"patientId\":\"p2\",\"reason\":\"Unconscious in the emergency department\"}";

    @BeforeEach
    void aPatientToOpen() {
        Patient patient = new Patient();
        patient.setId("p2");
        assertThat(http.putJson("/fhir/Patient/p2", patient).status()).isEqualTo(201);
    }

    @Test
    void aSystemAdministratorsSignInOnlyTokenCannotRegisterClients() {
        FhirHttp signInOnly = http.as(tokens.bearer(admin().signInOnly()));

        FhirHttp.Response put = signInOnly.put("/api/admin/clients/evil", APP, "application/json");

        assertThat(put.status()).isEqualTo(403);
        assertThat(put.header("WWW-Authenticate")).contains("insufficient_scope");
        assertThat(put.body()).contains("CHARNWOOD-2052", "charnwood/admin.clients");
        assertThat(signInOnly.get("/api/admin/clients").status()).isEqualTo(403);
        assertThat(rows("auth.client where client_id = 'evil'")).isZero();
        // With the scope for it, the same person's app may.
        FhirHttp scoped = http.as(tokens.bearer(admin().scopes("charnwood/admin.clients")));
        assertThat(scoped.put("/api/admin/clients/evil", APP, "application/json").status()).isEqualTo(200);
        assertThat(scoped.delete("/api/admin/clients/evil").status()).isEqualTo(204);
    }

    @Test
    void aClinicianBreaksGlassOnlyThroughAnAppGrantedIt() {
        Caller clinician = Caller.staff("Practitioner/doc", AccessRole.CLINICIAN);

        FhirHttp.Response signInOnly = http.as(tokens.bearer(clinician.signInOnly()))
                .post("/api/break-glass", EMERGENCY, "application/json");
        FhirHttp.Response fhirOnly = http.as(tokens.bearer(clinician.scopes("user/*.cruds")))
                .post("/api/break-glass", EMERGENCY, "application/json");

        assertThat(signInOnly.status()).isEqualTo(403);
        assertThat(fhirOnly.status()).isEqualTo(403);
        assertThat(rows("access_break_glass")).isZero();
        FhirHttp.Response granted = http.as(tokens.bearer(clinician.scopes("charnwood/break-glass")))
                .post("/api/break-glass", EMERGENCY, "application/json");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        // The review list is a scope of its own.
        Caller governance = Caller.staff("Practitioner/gov", AccessRole.INFORMATION_GOVERNANCE);
        assertThat(http.as(tokens.bearer(governance.scopes("charnwood/break-glass")))
                .get("/api/break-glass/reviews").status()).isEqualTo(403);
        assertThat(http.as(tokens.bearer(governance.scopes("charnwood/break-glass.review")))
                .get("/api/break-glass/reviews").status()).isEqualTo(200);
    }

    @Test
    void launchesTheAuditChainAndTheTypeaheadNeedTheirScopesToo() {
        Caller nurse = Caller.staff("Practitioner/staff-072", AccessRole.REGISTERED_NURSE);
        assertThat(http.as(tokens.bearer(nurse.signInOnly())).post("/api/launch", "{\"patient\":\"p2\"}",
                "application/json").status()).isEqualTo(403);
        assertThat(http.as(tokens.bearer(nurse.scopes("charnwood/launch"))).post("/api/launch",
                "{\"patient\":\"p2\"}", "application/json").status()).isEqualTo(200);
        assertThat(http.as(tokens.bearer(nurse.signInOnly())).get("/api/terminology/search?q=diab").status())
                .isEqualTo(403);

        Caller governance = Caller.staff("Practitioner/gov", AccessRole.INFORMATION_GOVERNANCE);
        assertThat(http.as(tokens.bearer(governance.scopes("user/*.rs"))).get("/actuator/auditchain").status())
                .isEqualTo(403);
        assertThat(http.as(tokens.bearer(governance.scopes("charnwood/audit.chain"))).get("/actuator/auditchain")
                .status()).isEqualTo(200);
        assertThat(http.as(tokens.bearer(admin().signInOnly())).get("/actuator/metrics").status()).isEqualTo(403);
        assertThat(http.as(tokens.bearer(admin().scopes("charnwood/operations"))).get("/actuator/metrics").status())
                .isEqualTo(200);
    }

    @Test
    void aClientNotRegisteredForTheScopeCannotBeGrantedIt() {
        var browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(admin()), TestTokens.PASSWORD);

        assertThatThrownBy(() -> tokens.authorisationCode(browser, CONFIDENTIAL_APP, "openid charnwood/admin.clients",
                null)).hasMessageContaining("invalid_scope");
    }

    private static Caller admin() {
        return Caller.staff("Practitioner/staff-090", AccessRole.SYSTEM_ADMINISTRATOR);
    }
}
