package org.charnwood.app.security.oauth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Lets a refresh ask for fewer scopes than the grant's by what they allow, not only by their text (SMART App Launch
 * 2.x): under {@code patient/*.rs} an app may ask for {@code patient/Observation.rs}, under
 * {@code patient/Observation.rs} for {@code patient/Observation.r}. A requested clinical scope is allowed when a
 * granted one covers it ({@link SmartScope#covers}: same context, {@code *} or the same type, a subset of the
 * permissions, and a granted search restriction only the same restriction); any other scope must have been granted
 * as it is. Anything wider is {@code invalid_scope}, as before.
 *
 * <p>The framework's own check accepts only scopes granted word for word, so a covered request is passed on as a
 * refresh of the whole grant, with the scopes asked for kept where only this server can set them (an attribute
 * no request parameter can forge); {@link SmartTokenClaims} then writes just those into the access token, which is
 * what the access policy enforces, and the token response and sign-in record name them.
 */
final class NarrowerScopesAtRefresh implements AuthenticationProvider {

    /** Where the scopes a covered refresh asked for are kept for the token it makes. */
    private static final String ASKED = NarrowerScopesAtRefresh.class.getName() + ".scopes";

    private final AuthenticationProvider refresh;
    private final OAuth2AuthorizationService authorizations;

    NarrowerScopesAtRefresh(AuthenticationProvider refresh, OAuth2AuthorizationService authorizations) {
        this.refresh = refresh;
        this.authorizations = authorizations;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2RefreshTokenAuthenticationToken request = (OAuth2RefreshTokenAuthenticationToken) authentication;
        Map<String, Object> parameters = new HashMap<>(request.getAdditionalParameters());
        parameters.remove(ASKED);
        Set<String> asked = request.getScopes();
        OAuth2Authorization grant = asked.isEmpty() ? null
                : authorizations.findByToken(request.getRefreshToken(), OAuth2TokenType.REFRESH_TOKEN);
        if (grant == null || grant.getAuthorizedScopes().containsAll(asked)) {
            // Nothing to narrow by meaning (or no such grant, which the framework refuses as ever).
            return refresh.authenticate(new OAuth2RefreshTokenAuthenticationToken(request.getRefreshToken(),
                    (Authentication) request.getPrincipal(), asked, parameters));
        }
        Set<String> wider = new LinkedHashSet<>(SmartScope.namingUnknownTypes(asked));
        wider.addAll(SmartScope.uncovered(asked, grant.getAuthorizedScopes(), false));
        if (!wider.isEmpty()) {
            throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                    "scopes the grant does not cover: " + wider, null));
        }
        parameters.put(ASKED, Set.copyOf(asked));
        OAuth2AccessTokenAuthenticationToken issued = (OAuth2AccessTokenAuthenticationToken) refresh.authenticate(
                new OAuth2RefreshTokenAuthenticationToken(request.getRefreshToken(),
                        (Authentication) request.getPrincipal(), Set.of(), parameters));
        OAuth2AccessToken whole = issued.getAccessToken();
        OAuth2AccessToken narrowed = new OAuth2AccessToken(whole.getTokenType(), whole.getTokenValue(),
                whole.getIssuedAt(), whole.getExpiresAt(), asked);
        return new OAuth2AccessTokenAuthenticationToken(issued.getRegisteredClient(),
                (Authentication) issued.getPrincipal(), narrowed, issued.getRefreshToken(),
                issued.getAdditionalParameters());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2RefreshTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /**
     * The scopes a token being made should carry: those a refresh narrowed to by meaning, else the context's
     * (the grant's, or those a refresh named word for word).
     */
    static Set<String> scopesOf(JwtEncodingContext context) {
        if (context.getAuthorizationGrant() instanceof OAuth2RefreshTokenAuthenticationToken refresh
                && refresh.getAdditionalParameters().get(ASKED) instanceof Set<?> asked) {
            Set<String> scopes = new LinkedHashSet<>();
            asked.forEach(s -> scopes.add((String) s));
            return scopes;
        }
        return context.getAuthorizedScopes();
    }
}
