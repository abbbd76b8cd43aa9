package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.RecordedSecurityEvents;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The discovery documents say exactly what the server does, and the sign-out endpoint they name is recorded. */
class DiscoveryDocumentsIntegrationTests extends CharnwoodIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    RecordedSecurityEvents events;

    private JsonNode document(String path) {
        var r = http.anonymous().get(path);
        assertThat(r.status()).as(path).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> list(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.forEach(v -> values.add(v.asString()));
        return values;
    }

    @Test
    void theOpenIdAndOAuthMetadataListOnlyWhatWorks() {
        for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
            JsonNode doc = document(path);
            List<String> keys = new ArrayList<>();
            doc.properties().forEach(e -> keys.add(e.getKey()));

            assertThat(list(doc.get("grant_types_supported"))).as(path)
                    .containsExactly("authorization_code", "refresh_token", "client_credentials");
            assertThat(list(doc.get("token_endpoint_auth_methods_supported"))).as(path)
                    .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
            assertThat(list(doc.get("introspection_endpoint_auth_methods_supported"))).as(path)
                    .doesNotContain("none", "client_secret_jwt", "tls_client_auth", "self_signed_tls_client_auth");
            assertThat(list(doc.get("code_challenge_methods_supported"))).as(path).containsExactly("S256");
            assertThat(list(doc.get("scopes_supported"))).as(path)
                    .contains("openid", "fhirUser", "launch", "launch/patient", "offline_access", "patient/*.rs",
                            "user/*.rs", "system/*.rs")
                    .doesNotContain("launch/encounter");
            assertThat(keys).as(path).doesNotContain("tls_client_certificate_bound_access_tokens",
                    "dpop_signing_alg_values_supported", "device_authorization_endpoint",
                    "pushed_authorization_request_endpoint", "registration_endpoint");
            assertThat(doc.toString()).as(path).doesNotContain("token-exchange", "client_secret_jwt", "tls_client_auth",
                    "device_code");
        }
        assertThat(document("/.well-known/openid-configuration").get("end_session_endpoint").asString())
                .endsWith("/connect/logout");
    }

    @Test
    void theSmartConfigurationListsNoStandaloneEncounterChoice() {
        JsonNode smart = document("/fhir/.well-known/smart-configuration");

        assertThat(list(smart.get("scopes_supported"))).contains("launch", "launch/patient")
                .doesNotContain("launch/encounter");
        assertThat(list(smart.get("capabilities"))).doesNotContain("context-standalone-encounter");
        assertThat(list(smart.get("grant_types_supported")))
                .containsExactly("authorization_code", "refresh_token", "client_credentials");
        assertThat(list(smart.get("token_endpoint_auth_methods_supported")))
                .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
    }

    @Test
    void signingOutThroughTheOpenIdEndSessionEndpointIsRecorded() {
        var browser = TestTokens.browser();
        String username = tokens.account(TestTokens.Caller.staff("Practitioner/staff-095", AccessRole.REGISTERED_NURSE));
        tokens.signIn(browser, username, TestTokens.PASSWORD);
        String idToken = tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid fhirUser", null)
                .get("id_token").asString();

        var logout = tokens.get(browser, "http://localhost:" + port + "/connect/logout?id_token_hint=" + idToken);

        assertThat(logout.statusCode()).as(logout.body()).isIn(200, 302);
        assertThat(events.signOuts(username)).hasSize(1);
    }
}
