package org.charnwood.app.security.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.SecondNode;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grants outlive the instance that issued them: a second instance of the application on the same database
 * (what a restart, or a load balancer, looks like to an app) honours refresh tokens and revocations of the
 * first, and the database never holds a usable token value.
 */
class PersistentGrantsIntegrationTests extends CharnwoodIntegrationTest {

    private static SecondNode second;

    @Autowired
    ConfigurableApplicationContext context;

    @AfterAll
    static void stopSecondInstance() {
        if (second != null) {
            second.close();
            second = null;
        }
    }

    @Test
    void aRefreshTokenIssuedBeforeARestartStillRefreshesAfterIt() throws Exception {
        Tokens issued = offlineGrant();

        var refreshed = TokenResponse.parse(new TokenRequest(endpoint(otherInstancePort(), "/oauth2/token"), app(),
                new RefreshTokenGrant(issued.getRefreshToken())).toHTTPRequest().send());

        assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
        String access = refreshed.toSuccessResponse().getTokens().getAccessToken().getValue();
        assertThat(new FhirHttp(otherInstancePort(), access).get("/fhir/Patient").status()).isEqualTo(200);
        assertThat(new FhirHttp(port, access).get("/fhir/Patient").status()).isEqualTo(200);
    }

    @Test
    void aRevocationMadeBeforeARestartStillHoldsAfterIt() throws Exception {
        Tokens issued = offlineGrant();
        var revoked = new TokenRevocationRequest(endpoint(port, "/oauth2/revoke"), app(), issued.getRefreshToken())
                .toHTTPRequest().send();
        // An instance already running learns of revocations made elsewhere within the synchronisation interval.
        Thread.sleep(RevocationAwareAuthorizations.SYNC_INTERVAL.toMillis() + 200);

        var refreshed = TokenResponse.parse(new TokenRequest(endpoint(otherInstancePort(), "/oauth2/token"), app(),
                new RefreshTokenGrant(issued.getRefreshToken())).toHTTPRequest().send());

        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(refreshed.indicatesSuccess()).isFalse();
        assertThat(new FhirHttp(otherInstancePort(), issued.getAccessToken().getValue()).get("/fhir/Patient").status())
                .isEqualTo(401);
    }

    @Test
    void anAccessTokenAlreadyInUseIsRefusedOnTheFirstCallAfterItsRevocation() throws Exception {
        Tokens issued = offlineGrant();
        FhirHttp app = new FhirHttp(port, issued.getAccessToken().getValue());
        assertThat(app.get("/fhir/Patient").status()).isEqualTo(200);
        assertThat(app.get("/fhir/Patient").status()).isEqualTo(200);

        new TokenRevocationRequest(endpoint(port, "/oauth2/revoke"), app(), issued.getAccessToken()).toHTTPRequest().send();

        var refused = app.get("/fhir/Patient");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void anAccessTokenRevokedAtOneInstanceIsRefusedByTheOtherWithinASecond() throws Exception {
        Tokens issued = offlineGrant();
        int other = otherInstancePort();
        assertThat(new FhirHttp(other, issued.getAccessToken().getValue()).get("/fhir/Patient").status()).isEqualTo(200);

        new TokenRevocationRequest(endpoint(port, "/oauth2/revoke"), app(), issued.getAccessToken()).toHTTPRequest().send();
        Thread.sleep(RevocationAwareAuthorizations.SYNC_INTERVAL.toMillis() + 200);

        assertThat(new FhirHttp(other, issued.getAccessToken().getValue()).get("/fhir/Patient").status()).isEqualTo(401);
    }

    @Test
    void theDatabaseHoldsOnlyHashesOfTokens() throws Exception {
        Tokens issued = offlineGrant();
        String refresh = issued.getRefreshToken().getValue();
        String access = issued.getAccessToken().getValue();

        Long raw = jdbc.queryForObject("""
                select count(*) from auth.authorization
                where position(convert_to(?, 'UTF8') in content) > 0 or position(convert_to(?, 'UTF8') in content) > 0
                   or refresh_hash = ? or access_hash = ?""", Long.class, refresh, access, refresh, access);
        Long hashed = jdbc.queryForObject("select count(*) from auth.authorization where refresh_hash = ?", Long.class,
                TokenHash.of(refresh));

        assertThat(raw).isZero();
        assertThat(hashed).isEqualTo(1);
    }

    @Test
    void aHashReadFromTheDatabaseIsNotAToken() throws Exception {
        Tokens issued = offlineGrant();
        String stored = jdbc.queryForObject("select refresh_hash from auth.authorization where refresh_hash = ?",
                String.class, TokenHash.of(issued.getRefreshToken().getValue()));

        var refreshed = TokenResponse.parse(new TokenRequest(endpoint(port, "/oauth2/token"), app(),
                new RefreshTokenGrant(new com.nimbusds.oauth2.sdk.token.RefreshToken("#sha256:" + stored)))
                .toHTTPRequest().send());

        assertThat(refreshed.indicatesSuccess()).isFalse();
    }

    @Test
    void expiredGrantsAreRemoved() throws Exception {
        offlineGrant();
        long before = rows("auth.authorization");
        clock.advance(java.time.Duration.ofDays(31));

        authorizations.removeExpired();

        assertThat(before).isPositive();
        assertThat(jdbc.queryForObject("select count(*) from auth.authorization where expires_at < now() + interval '30 days'",
                Long.class)).isZero();
    }

    @Autowired
    RevocationAwareAuthorizations authorizations;


    private Tokens offlineGrant() throws Exception {
        HttpClient browser = TestTokens.browser();
        String username = tokens.account(TestTokens.Caller.staff("Practitioner/staff-031", AccessRole.REGISTERED_NURSE));
        tokens.signIn(browser, username, TestTokens.PASSWORD);
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(CONFIDENTIAL_APP))
                .endpointURI(endpoint(port, "/oauth2/authorize")).redirectionURI(URI.create(TestTokens.TEST_APP_REDIRECT))
                .scope(new Scope("openid", "offline_access", "user/Patient.rs"))
                .state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("aud", endpoint(port, "/fhir").toString()).build();
        String location = tokens.get(browser, authorize.toURI().toString()).headers().firstValue("Location").orElseThrow();
        String code = TestTokens.query(location).get("code");
        return TokenResponse.parse(new TokenRequest(endpoint(port, "/oauth2/token"), app(),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(TestTokens.TEST_APP_REDIRECT), verifier))
                .toHTTPRequest().send()).toSuccessResponse().getTokens();
    }

    private static ClientAuthentication app() {
        return new ClientSecretBasic(new ClientID(CONFIDENTIAL_APP), new Secret(CONFIDENTIAL_APP_SECRET));
    }

    private static URI endpoint(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** A second instance of the application on this test's database, as a restarted server would be. */
    private int otherInstancePort() {
        if (second == null) {
            second = SecondNode.beside(context);
        }
        return second.port();
    }
}
