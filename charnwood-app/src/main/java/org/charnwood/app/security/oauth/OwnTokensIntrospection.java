package org.charnwood.app.security.oauth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;

/**
 * Token introspection answers a client about its own tokens only: a token issued to another client is reported
 * {@code active: false}, as RFC 7662 allows, so one app cannot learn who another app's user is, which patient it
 * was launched on or what it may do. This server's own resource server checks tokens itself (they are signed
 * JWTs), so no client is designated to introspect everyone's.
 */
final class OwnTokensIntrospection implements AuthenticationProvider {

    private final AuthenticationProvider delegate;
    private final OAuth2AuthorizationService authorizations;

    OwnTokensIntrospection(AuthenticationProvider delegate, OAuth2AuthorizationService authorizations) {
        this.delegate = delegate;
        this.authorizations = authorizations;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Authentication result = delegate.authenticate(authentication);
        if (result instanceof OAuth2TokenIntrospectionAuthenticationToken answer && answer.getTokenClaims().isActive()
                && answer.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller
                && caller.getRegisteredClient() != null
                && (!caller.getRegisteredClient().getClientId().equals(answer.getTokenClaims().getClientId())
                || !accessOrRefreshToken(answer.getToken()))) {
            return new OAuth2TokenIntrospectionAuthenticationToken(answer.getToken(), caller,
                    OAuth2TokenIntrospection.builder(false).build());
        }
        return result;
    }

    /**
     * Introspection is about access and refresh tokens (RFC 7662 section 2.1). The grant store finds any value a
     * grant holds, so an authorisation code or an ID token would otherwise be reported active, as if it were a
     * token a resource server could take.
     */
    private boolean accessOrRefreshToken(String value) {
        return authorizations.findByToken(value, OAuth2TokenType.ACCESS_TOKEN) != null
                || authorizations.findByToken(value, OAuth2TokenType.REFRESH_TOKEN) != null;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}
