package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.TestTokens.Caller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UserInfo endpoint tells an app who signed in as far as its token's scopes allow (OpenID Connect Core 5.4, SMART
 * App Launch 2.x): the name on the person's FHIR record with {@code profile}, their FHIR resource with
 * {@code fhirUser}, the same as the ID token's, and never their NHS number or date of birth.
 */
class UserInfoIntegrationTests extends CharnwoodIntegrationTest {

    @BeforeEach
    void people() {
        store("/fhir/Practitioner/ui-doc", """
                {"resourceType":"Practitioner","id":"ui-doc","name":[{"use":"official","family":"Okafor","given":["Adaeze","Ngozi"],"prefix":["Dr"]}]}""");
        store("/fhir/Patient/ui-pat", """
                {"resourceType":"Patient","id":"ui-pat","birthDate":"1961-04-12",
                 "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9000000009"}],
                 "name":[{"use":"official","family":"Hartley","given":["Margaret"]}]}""");
        store("/fhir/RelatedPerson/ui-carer", """
                {"resourceType":"RelatedPerson","id":"ui-carer","active":true,"patient":{"reference":"Patient/ui-pat"},
                 "name":[{"family":"Hartley","given":["Tom"]}]}""");
    }

    @Test
    void aMemberOfStaffIsNamedAndGivenTheirPractitioner() throws Exception {
        JsonNode info = userInfo(Caller.staff("Practitioner/ui-doc", AccessRole.REGISTERED_NURSE),
                "openid profile fhirUser");

        assertThat(info.get("name").asString()).contains("Adaeze").contains("Okafor");
        assertThat(info.get("given_name").asString()).isEqualTo("Adaeze Ngozi");
        assertThat(info.get("family_name").asString()).isEqualTo("Okafor");
        assertThat(info.get("fhirUser").asString()).endsWith("Practitioner/ui-doc");
    }

    @Test
    void aPatientIsNamedButTheirNhsNumberAndBirthDateAreNotGiven() throws Exception {
        JsonNode info = userInfo(Caller.patient("ui-pat"), "openid profile fhirUser");

        assertThat(info.get("given_name").asString()).isEqualTo("Margaret");
        assertThat(info.get("family_name").asString()).isEqualTo("Hartley");
        assertThat(info.get("name").asString()).isEqualTo("Margaret Hartley");
        assertThat(info.get("fhirUser").asString()).endsWith("Patient/ui-pat");
        assertThat(info.toString()).doesNotContain("9000000009").doesNotContain("1961")
                .doesNotContain("birthdate").doesNotContain("nhs_number");
    }

    @Test
    void aCarerIsNamedFromTheirRelatedPersonAndTheFhirUserMatchesTheIdToken() throws Exception {
        Caller carer = Caller.carer("ui-carer", "ui-pat");
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(carer), TestTokens.PASSWORD);
        JsonNode issued = tokens.authorisationCode(browser, TestTokens.TEST_APP, "openid profile fhirUser", null);
        JsonNode info = userInfo(issued.get("access_token").asString());

        assertThat(info.get("name").asString()).isEqualTo("Tom Hartley");
        assertThat(info.get("fhirUser").asString()).endsWith("RelatedPerson/ui-carer");
        String idToken = issued.get("id_token").asString();
        var claims = com.nimbusds.jwt.JWTParser.parse(idToken).getJWTClaimsSet();
        assertThat(info.get("fhirUser").asString()).isEqualTo(claims.getStringClaim("fhirUser"));
        assertThat(info.get("sub").asString()).isEqualTo(claims.getSubject());
    }

    @Test
    void onlyWhatTheScopesCoverIsGiven() throws Exception {
        Caller staff = Caller.staff("Practitioner/ui-doc", AccessRole.REGISTERED_NURSE);

        JsonNode identityOnly = userInfo(staff, "openid fhirUser");
        assertThat(identityOnly.get("fhirUser").asString()).endsWith("Practitioner/ui-doc");
        assertThat(identityOnly.has("name")).isFalse();
        assertThat(identityOnly.has("given_name")).isFalse();

        JsonNode profileOnly = userInfo(staff, "openid profile");
        assertThat(profileOnly.get("family_name").asString()).isEqualTo("Okafor");
        assertThat(profileOnly.has("fhirUser")).isFalse();

        JsonNode subjectOnly = userInfo(staff, "openid");
        assertThat(subjectOnly.has("sub")).isTrue();
        assertThat(subjectOnly.has("name")).isFalse();
        assertThat(subjectOnly.has("fhirUser")).isFalse();
    }

    private JsonNode userInfo(Caller caller, String scope) throws Exception {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(caller), TestTokens.PASSWORD);
        return userInfo(tokens.authorisationCode(browser, TestTokens.TEST_APP, scope, null)
                .get("access_token").asString());
    }

    private JsonNode userInfo(String accessToken) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body());
    }

    private void store(String path, String json) {
        var stored = http.put(path, json, "application/fhir+json");
        assertThat(stored.status()).as(stored.body()).isIn(200, 201);
    }
}
