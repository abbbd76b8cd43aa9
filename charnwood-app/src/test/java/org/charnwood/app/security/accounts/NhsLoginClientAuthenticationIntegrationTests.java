package org.charnwood.app.security.accounts;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.StandInIdentityProvider;
import org.charnwood.app.testing.TestKeys;
import org.charnwood.app.testing.TestTokens;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relying party's side of NHS login: a full patient sign-in through a stand-in whose token endpoint
 * authenticates clients as NHS login documents it (private_key_jwt, RS512, registered kid, iss = sub = client
 * id, aud = token endpoint, exp, jti; ID tokens signed RS512 carrying nhs_number and identity_proofing_level),
 * while the CIS2-style staff provider keeps its client secret.
 */
class NhsLoginClientAuthenticationIntegrationTests extends CharnwoodIntegrationTest {

    private static final StandInIdentityProvider PROVIDER = StandInIdentityProvider.get();

    private String signInThrough(HttpClient browser, String provider) {
        String base = "http://localhost:" + port;
        HttpResponse<String> start = tokens.get(browser, base + "/oauth2/authorization/" + provider);
        HttpResponse<String> atProvider = tokens.get(browser, start.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> back = tokens.get(browser, atProvider.headers().firstValue("Location").orElseThrow());
        return back.headers().firstValue("Location").orElse("status " + back.statusCode() + " " + back.body());
    }

    @Test
    void aPatientSignsInThroughNhsLoginWithAPrivateKeyJwtClientAssertion() throws Exception {
        String nhsNumber = "9990000018";
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue(nhsNumber)
                .addExtension(IdentityAssurance.VERIFICATION_EXTENSION, new org.hl7.fhir.r4.model.CodeableConcept()
                        .addCoding(new org.hl7.fhir.r4.model.Coding(
                                "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland", "01",
                                "Number present and verified")));
        String patientId = http.postJson("/fhir/Patient", patient).resource(Patient.class).getIdElement().getIdPart();
        PROVIDER.nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(), "nhs_number", nhsNumber,
                "identity_proofing_level", "P9", "vot", "P9.Cp.Cd"));
        int before = PROVIDER.tokenRequests().size();
        HttpClient browser = TestTokens.browser();

        String next = signInThrough(browser, "nhs-login");
        var token = tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid fhirUser launch/patient patient/*.rs", null);
        StandInIdentityProvider.TokenRequestSeen request = PROVIDER.tokenRequests().get(before);

        assertThat(next).endsWith("/signin/done");
        assertThat(token.get("patient").asString()).isEqualTo(patientId);
        assertThat(request.refusal()).isNull();
        assertThat(request.method()).isEqualTo("private_key_jwt");
        assertThat(request.assertion().getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS512);
        assertThat(request.assertion().getHeader().getKeyID()).isEqualTo(TestKeys.RELYING_PARTY_KID);
        var claims = request.assertion().getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(StandInIdentityProvider.PRIVATE_KEY_JWT_CLIENT);
        assertThat(claims.getSubject()).isEqualTo(StandInIdentityProvider.PRIVATE_KEY_JWT_CLIENT);
        assertThat(claims.getAudience()).containsExactly(PROVIDER.tokenEndpoint());
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getExpirationTime().toInstant()).isAfter(Instant.now().minusSeconds(5))
                .isBefore(Instant.now().plusSeconds(300));
    }

    @Test
    void everySignInSendsAFreshAssertion() {
        int before = PROVIDER.tokenRequests().size();
        for (int i = 0; i < 2; i++) {
            PROVIDER.nextUser(Map.of("sub", "nhslogin-" + UUID.randomUUID(), "nhs_number", "9000000999",
                    "identity_proofing_level", "P5"));
            assertThat(signInThrough(TestTokens.browser(), "nhs-login")).endsWith("/signin/done");
        }

        List<StandInIdentityProvider.TokenRequestSeen> requests = PROVIDER.tokenRequests().subList(before, before + 2);

        assertThat(requests).allSatisfy(r -> assertThat(r.refusal()).isNull());
        assertThat(requests.stream().map(r -> {
            try {
                return r.assertion().getJWTClaimsSet().getJWTID();
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }).distinct()).hasSize(2);
    }

    @Test
    void theStaffProviderStillTakesTheClientSecret() {
        PROVIDER.nextUser(Map.of("sub", "cis2-" + UUID.randomUUID(),
                "acr", "AAL2_OR_AAL3_ANY", "nhsid_nrbac_roles", List.of(Map.of("role_code", "S8000:G8000:R8001"))));
        int before = PROVIDER.tokenRequests().size();

        signInThrough(TestTokens.browser(), "cis2");

        StandInIdentityProvider.TokenRequestSeen request = PROVIDER.tokenRequests().get(before);
        assertThat(request.method()).isEqualTo("client_secret_basic");
        assertThat(request.refusal()).isNull();
    }

    @Test
    void ourRelyingPartyPublicKeyIsPublishedForRegistration() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/.well-known/federation-jwks.json"))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        assertThat(response.statusCode()).as(response.headers() + body).isEqualTo(200);

        JWKSet published = JWKSet.parse(body);

        assertThat(published.getKeys()).singleElement().satisfies(key -> {
            assertThat(key.getKeyID()).isEqualTo(TestKeys.RELYING_PARTY_KID);
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.toRSAKey().toRSAPublicKey()).isEqualTo(TestKeys.relyingPartyKey().toRSAPublicKey());
        });
        assertThat(body).doesNotContain("\"d\"");
    }
}
