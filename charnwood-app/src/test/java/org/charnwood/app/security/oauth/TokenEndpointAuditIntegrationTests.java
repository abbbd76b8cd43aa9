package org.charnwood.app.security.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token endpoint in the audit trail, with a standard OAuth client library: a backend system that authenticates
 * and gets a token has signed in; a client refused (a key that is not its own, a wrong secret) is a failed sign-in,
 * recorded with the client it named and the error, never the secret.
 */
class TokenEndpointAuditIntegrationTests extends CharnwoodIntegrationTest {

    private static final String LOGIN = "http://dicom.nema.org/resources/ontology/DCM|110114";

    private long before;

    @BeforeEach
    void markTheTrail() {
        before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
    }

    private URI tokenEndpoint() {
        return URI.create("http://localhost:" + port + "/oauth2/token");
    }

    private List<Map<String, Object>> signIns() {
        return jdbc.queryForList("select outcome::int as outcome, who, content from audit.event"
                + " where seq > ? and type = ? and subtype = '110122' order by seq", before, LOGIN);
    }

    @Test
    void aBackendSystemsTokenIsRecordedAsItsSignIn() throws Exception {
        TokenRequest request = new TokenRequest(tokenEndpoint(), new PrivateKeyJWT(new ClientID(TestKeys.BACKEND_CLIENT),
                tokenEndpoint(), JWSAlgorithm.RS384, TestKeys.backendKey().toRSAPrivateKey(),
                TestKeys.backendKey().getKeyID(), null), new ClientCredentialsGrant(), new Scope("system/Patient.rs"));

        assertThat(TokenResponse.parse(request.toHTTPRequest().send()).indicatesSuccess()).isTrue();

        assertThat(signIns()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("outcome", 0).containsEntry("who", TestKeys.BACKEND_CLIENT);
            assertThat((String) row.get("content")).contains("system/Patient.rs");
        });
    }

    @Test
    void aClientWithAnotherKeyIsRecordedAsAFailedSignIn() throws Exception {
        var stranger = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("test-backend").generate();
        TokenRequest request = new TokenRequest(tokenEndpoint(), new PrivateKeyJWT(new ClientID(TestKeys.BACKEND_CLIENT),
                tokenEndpoint(), JWSAlgorithm.RS384, stranger.toRSAPrivateKey(), stranger.getKeyID(), null),
                new ClientCredentialsGrant(), new Scope("system/Patient.rs"));

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(((TokenErrorResponse) response).getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(((TokenErrorResponse) response).getErrorObject().getHTTPStatusCode()).isEqualTo(401);

        assertThat(signIns()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("outcome", 4);
            assertThat((String) row.get("content")).contains("account " + TestKeys.BACKEND_CLIENT, "invalid_client");
        });
    }

    @Test
    void aWrongSecretIsRecordedWithTheClientNamedAndNeverTheSecret() throws Exception {
        TokenRequest request = new TokenRequest(tokenEndpoint(), new ClientSecretBasic(new ClientID(CONFIDENTIAL_APP),
                new Secret("not-the-secret-of-this-client-0123456789")), new ClientCredentialsGrant(),
                new Scope("system/Patient.rs"));

        TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isFalse();

        assertThat(signIns()).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("outcome", 4);
            assertThat((String) row.get("content")).contains("account " + CONFIDENTIAL_APP)
                    .doesNotContain("not-the-secret-of-this-client");
        });
    }
}
