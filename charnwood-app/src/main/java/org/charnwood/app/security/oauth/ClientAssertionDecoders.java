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
import java.util.Set;

/**
 * Verifies a backend service's {@code private_key_jwt} client assertion (SMART Backend Services) against the keys
 * it registered, inline or at its JWKS URL, with the algorithms SMART names (RS384, ES384) and RS256: the
 * assertion must be issued by and about the client, addressed to this token endpoint, unexpired and carry a
 * {@code jti}.
 */
class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384,
            JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        String jwks = client.getClientSettings().getSetting(ClientStore.JWKS_SETTING);
        JWKSource<SecurityContext> keys;
        try {
            if (jwks != null) {
                keys = new ImmutableJWKSet<>(JWKSet.parse(jwks));
            } else if (client.getClientSettings().getJwkSetUrl() != null) {
                keys = JWKSourceBuilder.create(URI.create(client.getClientSettings().getJwkSetUrl()).toURL()).build();
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
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
                assertionClaims(client.getClientId())));
        return decoder;
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
