package org.charnwood.app.security.oauth;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorisations granted (codes, access and refresh tokens), with a quick answer to "was this access token
 * revoked?". Access tokens are self-contained JWTs the resource server checks without a look-up; revocation
 * (directly, or by revoking the refresh token of the same grant) must still take effect at once, so revoked
 * access tokens are remembered here until they would have expired anyway.
 */
public class RevocationAwareAuthorizations implements OAuth2AuthorizationService {

    private final OAuth2AuthorizationService delegate;
    private final Clock clock;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    public RevocationAwareAuthorizations(OAuth2AuthorizationService delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access != null && access.isInvalidated()) {
            remember(access.getToken());
        }
        delegate.save(authorization);
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        if (authorization.getAccessToken() != null) {
            remember(authorization.getAccessToken().getToken());
        }
        delegate.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return delegate.findByToken(token, tokenType);
    }

    /** Whether an access token was revoked before it expired. */
    public boolean isRevoked(String accessTokenValue) {
        return revoked.containsKey(accessTokenValue);
    }

    private void remember(OAuth2AccessToken token) {
        Instant now = clock.instant();
        revoked.values().removeIf(expiry -> expiry.isBefore(now));
        revoked.put(token.getTokenValue(), token.getExpiresAt() == null ? now.plusSeconds(86_400) : token.getExpiresAt());
    }
}
