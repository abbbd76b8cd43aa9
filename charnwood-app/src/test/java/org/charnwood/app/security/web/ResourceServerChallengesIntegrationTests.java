package org.charnwood.app.security.web;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the FHIR API tells a client about the token it needs: a 403 for want of a scope carries the
 * {@code insufficient_scope} challenge naming the scopes that would do (RFC 6750 section 3.1), and says so in
 * words; the protected resource metadata a 401 points at (RFC 9728) is the FHIR API's own and is true.
 */
class ResourceServerChallengesIntegrationTests extends CharnwoodIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aScopeRefusalNamesTheScopesThatWouldAllowIt() {
        String observationsOnly = tokens.bearer(TestTokens.Caller.system("system/Observation.rs"));

        Response r = http.as(observationsOnly).get("/fhir/Patient?_count=1");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate"))
                .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"system/Patient.s\"");
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).isEqualTo(
                "This app was not granted permission to search Patient resources (it needs system/Patient.s)");
        assertThat(r.body()).contains("CHARNWOOD-2052");
    }

    @Test
    void aPersonsAppIsToldItsPatientAndUserAlternatives() {
        String token = tokens.bearer(TestTokens.Caller.staff("Practitioner/staff-941",
                org.charnwood.app.security.AccessRole.REGISTERED_NURSE).scopes("user/Observation.rs"));

        Response r = http.as(token).get("/fhir/Condition?_count=1");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("WWW-Authenticate"))
                .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"patient/Condition.s user/Condition.s\"");
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).isEqualTo("This app was not granted permission"
                + " to search Condition resources (it needs patient/Condition.s or user/Condition.s)");
    }

    @Test
    void aBundleRefusedForAnEntrysScopeCarriesTheSameChallenge() {
        String observationsOnly = tokens.bearer(TestTokens.Caller.system("system/Observation.rs"));

        for (String type : List.of("transaction", "batch")) {
            String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[{"
                    + "\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Scope\"}]},"
                    + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";

            Response r = http.as(observationsOnly).post("/fhir", bundle, "application/fhir+json");

            assertThat(r.status()).as(type).isEqualTo(403);
            assertThat(r.header("WWW-Authenticate")).as(type)
                    .isEqualTo("Bearer error=\"insufficient_scope\", scope=\"system/Patient.c\"");
            assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).as(type).isEqualTo("Entry 0 (POST Patient)"
                    + " is not permitted: This app was not granted permission to create Patient resources"
                    + " (it needs system/Patient.c)");
        }
    }

    @Test
    void theFhirApisMetadataIsTrueAndEvery401PointsAtIt() {
        Response challenge = http.anonymous().get("/fhir/Patient");
        String fhirDocument = "http://localhost:" + port + "/.well-known/oauth-protected-resource/fhir";
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.header("WWW-Authenticate")).contains("resource_metadata=\"" + fhirDocument + "\"");
        Response badToken = http.as("not-a-token").get("/fhir/Patient");
        assertThat(badToken.header("WWW-Authenticate")).contains("resource_metadata=\"" + fhirDocument + "\"");

        JsonNode fhir = document("/.well-known/oauth-protected-resource/fhir");
        assertThat(fhir.get("resource").asString()).isEqualTo(http.fhirBase());
        assertThat(list(fhir.get("authorization_servers"))).containsExactly("http://localhost:" + port);
        assertThat(list(fhir.get("bearer_methods_supported"))).containsExactly("header");
        assertThat(fhir.has("tls_client_certificate_bound_access_tokens")).isFalse();

        // The server's other bearer APIs (/api): the resource is the server, and the same things hold.
        JsonNode root = document("/.well-known/oauth-protected-resource");
        assertThat(root.get("resource").asString()).isEqualTo("http://localhost:" + port);
        assertThat(list(root.get("authorization_servers"))).containsExactly("http://localhost:" + port);
        assertThat(root.has("tls_client_certificate_bound_access_tokens")).isFalse();
    }

    private JsonNode document(String path) {
        Response r = http.anonymous().get(path);
        assertThat(r.status()).as(path).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> list(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node != null) {
            node.forEach(v -> values.add(v.asString()));
        }
        return values;
    }
}
