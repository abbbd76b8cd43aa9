package org.charnwood.app.security.oauth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.charnwood.app.testing.TestClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedTokensTests {

    private static RSAKey key;
    private static NimbusJwtEncoder encoder;

    private final TestClock clock = new TestClock();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger verifications = new AtomicInteger();

    @BeforeAll
    static void signingKey() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("test").generate();
        encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
    }

    private VerifiedTokens tokens(Duration maxAge, int capacity) throws Exception {
        JwtTimestampValidator unexpired = new JwtTimestampValidator(Duration.ZERO);
        unexpired.setClock(clock);
        OAuth2TokenValidator<Jwt> checks = new DelegatingOAuth2TokenValidator<>(unexpired,
                jwt -> revoked.contains(jwt.getTokenValue())
                        ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "the access token was revoked", null))
                        : OAuth2TokenValidatorResult.success());
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey(key.toRSAPublicKey()).build();
        nimbus.setJwtValidator(checks);
        JwtDecoder counting = token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
        return new VerifiedTokens(counting, checks, clock, maxAge, capacity);
    }

    private String token(String subject, Duration lifetime) {
        Instant issued = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder().subject(subject).issuedAt(issued)
                .expiresAt(issued.plus(lifetime)).build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }

    @Test
    void verifiesTheSignatureOfATokenOnlyOnItsFirstUse() throws Exception {
        VerifiedTokens tokens = tokens(Duration.ofMinutes(5), 100);
        String token = token("nurse", Duration.ofHours(1));

        Jwt first = tokens.decode(token);
        Jwt second = tokens.decode(token);

        assertThat(second.getSubject()).isEqualTo("nurse");
        assertThat(second).isSameAs(first);
        assertThat(verifications).hasValue(1);
    }

    @Test
    void refusesARememberedTokenOnItsNextUseOnceRevoked() throws Exception {
        VerifiedTokens tokens = tokens(Duration.ofMinutes(5), 100);
        String token = token("nurse", Duration.ofHours(1));
        tokens.decode(token);

        revoked.add(token);

        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("revoked");
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void refusesARememberedTokenOnceItHasExpired() throws Exception {
        VerifiedTokens tokens = tokens(Duration.ofHours(2), 100);
        String token = token("nurse", Duration.ofMinutes(1));
        tokens.decode(token);

        clock.advance(Duration.ofSeconds(61));

        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void checksExpiryOnEveryUseEvenWithinTheRememberedTime() throws Exception {
        // A remembered entry never outlives exp; this proves the check itself also runs on a remembered token.
        VerifiedTokens tokens = tokens(Duration.ofHours(2), 100);
        String token = token("nurse", Duration.ofMinutes(10));
        tokens.decode(token);
        clock.advance(Duration.ofMinutes(9));

        assertThat(tokens.decode(token).getSubject()).isEqualTo("nurse");
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void verifiesTheSignatureAgainAfterTheLongestRememberedTime() throws Exception {
        VerifiedTokens tokens = tokens(Duration.ofMinutes(5), 100);
        String token = token("nurse", Duration.ofHours(1));
        tokens.decode(token);

        clock.advance(Duration.ofMinutes(6));
        tokens.decode(token);

        assertThat(verifications).hasValue(2);
    }

    @Test
    void refusesATokenWithAnAlteredSignatureWhileTheGenuineOneIsRemembered() throws Exception {
        VerifiedTokens tokens = tokens(Duration.ofMinutes(5), 100);
        String token = token("nurse", Duration.ofHours(1));
        tokens.decode(token);
        String altered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");

        assertThatThrownBy(() -> tokens.decode(altered)).isInstanceOf(JwtException.class);
    }

    @Test
    void neverRemembersMoreTokensThanItsCapacity() throws Exception {
        VerifiedTokens tokens = tokens(Duration.ofMinutes(5), 3);
        for (int i = 0; i < 10; i++) {
            tokens.decode(token("caller-" + i, Duration.ofHours(1)));
            assertThat(tokens.size()).isLessThanOrEqualTo(3);
        }
    }
}
