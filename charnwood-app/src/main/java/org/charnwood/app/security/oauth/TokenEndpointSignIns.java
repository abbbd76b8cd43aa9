package org.charnwood.app.security.oauth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.SignInRecorded;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The token endpoint's part of the audit trail: a backend system that authenticates and is given a token (client
 * credentials) has signed in, and every token request refused (a wrong secret or key, a revoked refresh token,
 * scopes the client may not have) is a failed sign-in by the client it named. Both are published as
 * {@link SignInRecorded}, before the response is written, so the trail has them as it has people's sign-ins.
 * A token for an app acting for a person is not recorded here when the person has just signed in (that sign-in
 * was); a refresh is, as the person's sign-in through the app, since it gives the app new tokens without them.
 */
final class TokenEndpointSignIns {

    static final String TOKEN_PATH = "/oauth2/token";
    /** The realm of the Basic challenge: the client secret is this server's to check. */
    static final String REALM = "Charnwood";
    private static final OAuth2ErrorHttpMessageConverter ERRORS = new OAuth2ErrorHttpMessageConverter();

    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final OAuth2AuthorizationService authorizations;

    TokenEndpointSignIns(ApplicationEventPublisher events, Clock clock, OAuth2AuthorizationService authorizations) {
        this.events = events;
        this.clock = clock;
        this.authorizations = authorizations;
    }

    /** Records a backend system's token or a refresh, then answers as {@code delegate} does. */
    AuthenticationSuccessHandler issued(AuthenticationSuccessHandler delegate) {
        return (request, response, authentication) -> {
            String grant = request.getParameter("grant_type");
            if ("client_credentials".equals(grant)
                    && authentication instanceof OAuth2AccessTokenAuthenticationToken token) {
                String clientId = token.getRegisteredClient().getClientId();
                List<String> scopes = List.copyOf(token.getAccessToken().getScopes());
                Requester system = new Requester(Requester.Kind.SYSTEM, clientId, null, Set.of(), null, clientId,
                        scopes, null, null, request.getRemoteAddr(), clock.instant());
                events.publishEvent(new SignInRecorded(system, clientId, true, null, clock.instant()));
            } else if ("refresh_token".equals(grant)
                    && authentication instanceof OAuth2AccessTokenAuthenticationToken token) {
                refreshed(request, token);
            }
            delegate.onAuthenticationSuccess(request, response, authentication);
        };
    }

    /** The person a refresh made tokens for, as the new access token describes them. */
    private void refreshed(HttpServletRequest request, OAuth2AccessTokenAuthenticationToken token) {
        String value = token.getAccessToken().getTokenValue();
        OAuth2Authorization grant = authorizations.findByToken(value, OAuth2TokenType.ACCESS_TOKEN);
        if (grant == null || grant.getAccessToken().getClaims() == null
                || !(grant.getAttribute(Principal.class.getName()) instanceof Authentication principal)
                || !(principal.getPrincipal() instanceof SignedInPerson person)) {
            return;
        }
        Jwt claims = Jwt.withTokenValue(value).header("alg", "RS256")
                .claims(c -> c.putAll(grant.getAccessToken().getClaims())).build();
        events.publishEvent(new SignInRecorded(TokenRequesterSource.fromToken(claims, request.getRemoteAddr()),
                person.username(), true, null, clock.instant()));
    }

    /** A token request refused after the client authenticated: recorded, then answered with the OAuth error. */
    AuthenticationFailureHandler tokenRefused() {
        return (request, response, exception) -> {
            refused(request, exception);
            OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                    : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
            answer(response, error);
        };
    }

    /**
     * A client that failed to authenticate: recorded, then answered as the authorisation server does by default
     * (401 for {@code invalid_client}, else 400, with the error code alone, so nothing about the check leaks).
     */
    AuthenticationFailureHandler clientRefused() {
        return (request, response, exception) -> {
            refused(request, exception);
            SecurityContextHolder.clearContext();
            OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
                    : new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
            answer(response, new OAuth2Error(error.getErrorCode()));
        };
    }

    /**
     * A request to the token, introspection or revocation endpoint that authenticated no client at all: no
     * credentials, a public client asking for what only a confidential one may have, or client authentication of
     * a kind not served. Answered as RFC 6749 section 5.2 has it (never the sign-in page: the caller is a
     * program), and recorded as a failed sign-in like any other refused token request.
     */
    AuthenticationEntryPoint clientNotAuthenticated(RegisteredClientRepository clients) {
        return (request, response, exception) -> {
            OAuth2Error error = whyNoClient(request, clients);
            refused(request, new OAuth2AuthenticationException(error));
            SecurityContextHolder.clearContext();
            answer(response, error);
        };
    }

    /**
     * Why no client authenticated. A public client's code exchange without {@code code_verifier} is
     * {@code invalid_grant} (RFC 7636 section 4.6); a public client asking for another grant is
     * {@code unauthorized_client}; everything else is {@code invalid_client}.
     */
    private static OAuth2Error whyNoClient(HttpServletRequest request, RegisteredClientRepository clients) {
        boolean tokenEndpoint = request.getRequestURI().equals(request.getContextPath() + TOKEN_PATH);
        String clientId = request.getParameter("client_id");
        boolean credentials = request.getHeader("Authorization") != null
                || request.getParameter("client_secret") != null
                || request.getParameter("client_assertion") != null
                || request.getParameter("client_assertion_type") != null;
        if (tokenEndpoint && clientId != null && !credentials) {
            RegisteredClient client = clients.findByClientId(clientId);
            if (client != null && client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
                String grant = request.getParameter("grant_type");
                if ("authorization_code".equals(grant) && request.getParameter("code_verifier") == null) {
                    return new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                            "code_verifier is required: the code was issued with a PKCE challenge", null);
                }
                return new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                        "a public client may use only the authorization code grant, with PKCE", null);
            }
        }
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT);
    }

    /**
     * The OAuth error response: 401 for {@code invalid_client}, with the {@code Basic} challenge RFC 6749 section
     * 5.2 asks for (HTTP has every 401 name a scheme, and Basic is the one a client secret is sent with), else 400.
     */
    private static void answer(HttpServletResponse response, OAuth2Error error) throws java.io.IOException {
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        if (OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())) {
            http.setStatusCode(HttpStatus.UNAUTHORIZED);
            http.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        } else {
            http.setStatusCode(HttpStatus.BAD_REQUEST);
        }
        http.getHeaders().setCacheControl("no-store");
        ERRORS.write(error, null, http);
    }

    private void refused(HttpServletRequest request, AuthenticationException exception) {
        String reason = exception instanceof OAuth2AuthenticationException oauth
                ? oauth.getError().getErrorCode() + (oauth.getError().getDescription() == null ? ""
                : ": " + oauth.getError().getDescription())
                : exception.getClass().getSimpleName();
        events.publishEvent(new SignInRecorded(Requester.anonymous(request.getRemoteAddr()), clientNamed(request),
                false, "token request refused (" + reason + ")", clock.instant()));
    }

    /**
     * The client the request named: {@code client_id}, the issuer its client assertion claims (read, not trusted:
     * it is what the caller said, like a user name typed), or the user name of HTTP Basic; never the secret.
     */
    static String clientNamed(HttpServletRequest request) {
        String id = request.getParameter("client_id");
        if (id != null && !id.isBlank()) {
            return id;
        }
        String assertion = request.getParameter("client_assertion");
        if (assertion != null) {
            try {
                String issuer = com.nimbusds.jwt.JWTParser.parse(assertion).getJWTClaimsSet().getIssuer();
                return issuer == null ? "unnamed client" : issuer;
            } catch (java.text.ParseException e) {
                return "unreadable client assertion";
            }
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    return java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                return "unreadable client credentials";
            }
        }
        return "unnamed client";
    }
}
