package org.charnwood.app.security.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMART Backend Services client assertions, sent by a standard OAuth client library: each is good for one token
 * request (its {@code jti} is remembered, in the database, until it expires) and may expire at most five minutes
 * ahead.
 */
class ClientAssertionReplayIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    UsedClientAssertions used;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void anAssertionGetsOneTokenAndItsReplayIsRefused() throws Exception {
        JWTID jti = new JWTID();
        PrivateKeyJWT assertion = assertion(jti, Instant.now().plus(Duration.ofMinutes(4)));

        TokenResponse first = send(assertion);
        TokenResponse replay = send(assertion);

        assertThat(first.indicatesSuccess()).isTrue();
        assertRefusedAsInvalidClient(replay);
        assertThat(jdbc.queryForObject("select client_id from auth.used_client_assertion where jti = ?",
                String.class, jti.getValue())).isEqualTo(TestKeys.BACKEND_CLIENT);
    }

    @Test
    void anAssertionExpiringMoreThanFiveMinutesAheadIsRefused() throws Exception {
        assertRefusedAsInvalidClient(send(assertion(new JWTID(), Instant.now().plus(Duration.ofHours(1)))));
        assertRefusedAsInvalidClient(send(assertion(new JWTID(), Instant.now().plus(Duration.ofMinutes(7)))));
        assertThat(send(assertion(new JWTID(), Instant.now().plus(Duration.ofMinutes(5)))).indicatesSuccess()).isTrue();
    }

    @Test
    void aJtiIsFreeAgainOnlyOnceTheAssertionThatUsedItHasExpiredAndIsThenForgotten() throws Exception {
        JWTID jti = new JWTID();
        assertThat(send(assertion(jti, Instant.now().plus(Duration.ofMinutes(1)))).indicatesSuccess()).isTrue();
        assertRefusedAsInvalidClient(send(assertion(jti, Instant.now().plus(Duration.ofMinutes(4)))));

        clock.advance(Duration.ofMinutes(2));
        assertThat(send(assertion(jti, Instant.now().plus(Duration.ofMinutes(4)))).indicatesSuccess()).isTrue();

        clock.advance(Duration.ofMinutes(10));
        used.removeExpired();
        assertThat(rows("auth.used_client_assertion")).isZero();
    }

    private PrivateKeyJWT assertion(JWTID jti, Instant expires) throws Exception {
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID(TestKeys.BACKEND_CLIENT),
                new Audience(tokenEndpoint()).toSingleAudienceList(), Date.from(expires), null, new Date(), jti);
        return new PrivateKeyJWT(claims, JWSAlgorithm.RS384, TestKeys.backendKey().toRSAPrivateKey(),
                TestKeys.backendKey().getKeyID(), null);
    }

    private TokenResponse send(PrivateKeyJWT assertion) throws Exception {
        return TokenResponse.parse(new TokenRequest(tokenEndpoint(), assertion, new ClientCredentialsGrant(),
                new Scope("system/Patient.rs")).toHTTPRequest().send());
    }

    private static void assertRefusedAsInvalidClient(TokenResponse response) {
        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) response).getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(((TokenErrorResponse) response).getErrorObject().getHTTPStatusCode()).isEqualTo(401);
    }

    private URI tokenEndpoint() {
        return URI.create("http://localhost:" + port + "/oauth2/token");
    }
}
