package org.charnwood.app.security.oauth;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens whose signature this server has already verified, so that an app's repeated calls with the same
 * token do not pay for RSA verification and JSON parsing every time (most of the cost of a small FHIR search's
 * authentication). Only the signature check and the parsing are remembered: the {@code checks} (expiry and
 * revocation) run on every use, cached or not, so a revoked or expired token is refused on its next call exactly
 * as it would be without this. An entry is kept no longer than its token's {@code exp} and never longer than
 * {@code maxAge}; the map holds at most {@code capacity} tokens, and is emptied when full of live ones (each
 * token is then verified once more).
 */
final class VerifiedTokens implements JwtDecoder {

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> checks;
    private final Clock clock;
    private final Duration maxAge;
    private final int capacity;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    /**
     * @param verifier checks the signature, parses the token and applies {@code checks} itself
     * @param checks   what must hold at every use (expiry, revocation)
     */
    VerifiedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> checks, Clock clock, Duration maxAge, int capacity) {
        this.verifier = verifier;
        this.checks = checks;
        this.clock = clock;
        this.maxAge = maxAge;
        this.capacity = capacity;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null) {
            if (now.isBefore(known.until())) {
                OAuth2TokenValidatorResult result = checks.validate(known.jwt());
                if (result.hasErrors()) {
                    verified.remove(token, known);
                    throw refused(result);
                }
                return known.jwt();
            }
            verified.remove(token, known);
        }
        Jwt jwt = verifier.decode(token);
        remember(token, jwt, now);
        return jwt;
    }

    /** How many tokens are remembered now (for tests). */
    int size() {
        return verified.size();
    }

    private void remember(String token, Jwt jwt, Instant now) {
        Instant until = now.plus(maxAge);
        if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isBefore(until)) {
            until = jwt.getExpiresAt();
        }
        if (verified.size() >= capacity) {
            verified.values().removeIf(v -> !now.isBefore(v.until()));
            if (verified.size() >= capacity) {
                verified.clear();
            }
        }
        verified.put(token, new Verified(jwt, until));
    }

    /** The same refusal the verifier gives for a token that fails the checks. */
    private static JwtValidationException refused(OAuth2TokenValidatorResult result) {
        String message = result.getErrors().stream().map(OAuth2Error::getDescription)
                .filter(d -> d != null && !d.isEmpty()).findFirst()
                .map(d -> "An error occurred while attempting to decode the Jwt: " + d).orElse("Unable to validate Jwt");
        return new JwtValidationException(message, result.getErrors());
    }

    private record Verified(Jwt jwt, Instant until) {
    }
}
