package org.charnwood.app.security.accounts;

import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenID Connect Back-Channel Logout 1.0: {@code POST /signin/backchannel-logout/{registrationId}} with a
 * {@code logout_token} from the provider (server to server, no cookies). The token must be signed by the
 * provider's key with its ID token algorithm, name the provider as {@code iss} and our client id in {@code aud},
 * be recent ({@code iat} within five minutes), carry the back-channel logout event, a {@code sub} or
 * {@code sid}, a {@code jti} not seen before, and no {@code nonce}. The person's sessions that began at that
 * provider end at once; apps they authorised keep their tokens until those expire or are revoked.
 */
@RestController
@ConditionalOnProperty(prefix = "charnwood.security.federation[0]", name = "registration-id")
class BackChannelLogoutEndpoint {

    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final Map<String, SecuritySettings.Federation> providers = new HashMap<>();
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
    private final Map<String, Instant> seenJtis = new ConcurrentHashMap<>();
    private final FederatedSessions sessions;
    private final Clock clock;

    BackChannelLogoutEndpoint(SecuritySettings settings, FederatedSessions sessions, Clock clock) {
        settings.federation().forEach(f -> providers.put(f.registrationId(), f));
        this.sessions = sessions;
        this.clock = clock;
    }

    @PostMapping(value = "/signin/backchannel-logout/{registrationId}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> logout(@PathVariable String registrationId,
                                               @RequestParam(name = "logout_token", required = false) String token) {
        SecuritySettings.Federation provider = providers.get(registrationId);
        if (provider == null || token == null || token.isBlank()) {
            return refused("unknown provider or no logout_token");
        }
        Jwt jwt;
        try {
            jwt = decoders.computeIfAbsent(registrationId, id -> decoder(provider)).decode(token);
        } catch (JwtException e) {
            return refused("logout_token not accepted: " + e.getMessage());
        }
        Instant now = clock.instant();
        seenJtis.values().removeIf(expiry -> expiry.isBefore(now));
        if (seenJtis.putIfAbsent(jwt.getId(), now.plus(MAX_AGE.multipliedBy(2))) != null) {
            return refused("logout_token already used");
        }
        sessions.end(registrationId, jwt.getSubject(), jwt.getClaimAsString("sid"));
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(Map.of());
    }

    private JwtDecoder decoder(SecuritySettings.Federation provider) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(provider.jwkSetUri())
                .jwsAlgorithm(SignatureAlgorithm.from(provider.idTokenAlgorithm())).build();
        OAuth2TokenValidator<Jwt> logoutToken = jwt -> {
            Object events = jwt.getClaims().get("events");
            Instant issued = jwt.getIssuedAt();
            Instant now = clock.instant();
            String problem = jwt.getAudience() == null || !jwt.getAudience().contains(provider.clientId()) ? "aud"
                    : !(events instanceof Map<?, ?> map) || !map.containsKey(EVENT) ? "events"
                    : jwt.getSubject() == null && jwt.getClaimAsString("sid") == null ? "sub or sid"
                    : jwt.getClaims().containsKey("nonce") ? "nonce (not allowed)"
                    : jwt.getId() == null ? "jti"
                    : issued == null || issued.isBefore(now.minus(MAX_AGE)) || issued.isAfter(now.plus(Duration.ofMinutes(1)))
                    ? "iat" : null;
            return problem == null ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_request", "bad " + problem, null));
        };
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
                new JwtIssuerValidator(provider.issuer()), logoutToken));
        return decoder;
    }

    private static ResponseEntity<Map<String, String>> refused(String description) {
        return ResponseEntity.badRequest().header("Cache-Control", "no-store")
                .body(Map.of("error", "invalid_request", "error_description", description));
    }
}
