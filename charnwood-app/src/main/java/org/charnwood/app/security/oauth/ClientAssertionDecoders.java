package org.charnwood.app.security.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Verifies a backend service's {@code private_key_jwt} client assertion (SMART Backend Services) against the keys
 * it registered, inline or at its JWKS URL ({@link KeySetFetcher}), with the algorithms SMART names (RS384, ES384) and RS256: the
 * assertion must be issued by and about the client, addressed to this token endpoint, unexpired, expire no more
 * than five minutes ahead, and carry a {@code jti} the client has not used in an assertion still unexpired.
 */
class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384,
            JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** SMART Backend Services: an assertion's {@code exp} is no more than five minutes in the future. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** The clock difference tolerated between the client and this server, as for the other timestamps. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** Longer identifiers are not what SMART clients send, and each one used is stored. */
    private static final int MAX_JTI_LENGTH = 255;

    private final UsedClientAssertions used;
    private final Clock clock;
    private final KeySetFetcher fetcher;

    ClientAssertionDecoders(UsedClientAssertions used, Clock clock, KeySetFetcher fetcher) {
        this.used = used;
        this.clock = clock;
        this.fetcher = fetcher;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        String jwks = client.getClientSettings().getSetting(ClientStore.JWKS_SETTING);
        JWKSource<SecurityContext> keys;
        try {
            if (jwks != null) {
                keys = new ImmutableJWKSet<>(JWKSet.parse(jwks));
            } else if (client.getClientSettings().getJwkSetUrl() != null) {
                // Fetched only through the fetcher, which refuses internal addresses however the name resolves.
                keys = JWKSourceBuilder.create(URI.create(client.getClientSettings().getJwkSetUrl()).toURL(), fetcher)
                        .build();
            } else {
                throw new IllegalStateException("client " + client.getClientId() + " has no public keys registered");
            }
        } catch (ParseException | MalformedURLException e) {
            throw new IllegalStateException("client " + client.getClientId() + " has unreadable public keys", e);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        // Claims are checked below, by the Spring validators.
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        JwtTimestampValidator unexpired = new JwtTimestampValidator(CLOCK_SKEW);
        unexpired.setClock(clock);
        OAuth2TokenValidator<Jwt> valid = new DelegatingOAuth2TokenValidator<>(unexpired,
                assertionClaims(client.getClientId()), this::shortLived);
        // The jti is recorded only for an assertion good in every other way, so it is used up by a token
        // request that could have succeeded and by nothing else.
        decoder.setJwtValidator(jwt -> {
            OAuth2TokenValidatorResult result = valid.validate(jwt);
            return result.hasErrors() ? result : firstUse(client.getClientId(), jwt);
        });
        return decoder;
    }

    private OAuth2TokenValidatorResult shortLived(Jwt jwt) {
        Instant latest = clock.instant().plus(MAX_LIFETIME).plus(CLOCK_SKEW);
        return jwt.getExpiresAt() == null || jwt.getExpiresAt().isAfter(latest)
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                "client assertion must expire within " + MAX_LIFETIME.toMinutes() + " minutes", null))
                : OAuth2TokenValidatorResult.success();
    }

    private OAuth2TokenValidatorResult firstUse(String clientId, Jwt jwt) {
        return jwt.getId().length() <= MAX_JTI_LENGTH && used.firstUse(clientId, jwt.getId(), jwt.getExpiresAt())
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                "client assertion jti was already used", null));
    }

    private static OAuth2TokenValidator<Jwt> assertionClaims(String clientId) {
        return jwt -> {
            String issuer = AuthorizationServerContextHolder.getContext().getIssuer();
            String tokenEndpoint = issuer + AuthorizationServerContextHolder.getContext()
                    .getAuthorizationServerSettings().getTokenEndpoint();
            boolean ok = clientId.equals(jwt.getClaimAsString("iss")) && clientId.equals(jwt.getSubject())
                    && jwt.getAudience() != null
                    && (jwt.getAudience().contains(tokenEndpoint) || jwt.getAudience().contains(issuer))
                    && jwt.getExpiresAt() != null && jwt.getId() != null;
            return ok ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(
                    new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                            "client assertion must have iss and sub = client id, aud = token endpoint, exp and jti",
                            null));
        };
    }
}
