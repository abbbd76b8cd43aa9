package org.charnwood.app.security.oauth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * When a person is asked before an app may act for them, and what their answer means.
 *
 * <p>Patients and carers are asked, once per app and set of scopes, when the app is registered with consent
 * required (the default for apps that may ask for {@code patient/} scopes): such an app could be anyone's, and
 * following a link must not hand it a record. Staff are not asked: the apps they use were approved by the trust
 * for their work. "Do not allow" gives the app {@code access_denied} and forgets anything allowed before.
 *
 * <p>The answer is a form posted to {@code /oauth2/authorize}, which the authorisation server leaves out of CSRF
 * protection (apps may post authorisation requests there); this filter checks the CSRF token of answers, so another
 * site cannot answer for a signed-in person.
 */
final class ConsentAnswers extends OncePerRequestFilter {

    private final HttpSessionCsrfTokenRepository tokens = new HttpSessionCsrfTokenRepository();
    private final XorCsrfTokenRequestAttributeHandler resolver = new XorCsrfTokenRequestAttributeHandler();

    /** Whether this authorisation request must wait for the person's answer. */
    static boolean mustAsk(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        if (!context.getRegisteredClient().getClientSettings().isRequireAuthorizationConsent()) {
            return false;
        }
        Object principal = ((Authentication) context.getAuthentication().getPrincipal()).getPrincipal();
        if (!(principal instanceof SignedInPerson person)
                || (person.kind() != Requester.Kind.PATIENT && person.kind() != Requester.Kind.CARER)) {
            return false;
        }
        OAuth2AuthorizationConsent earlier = context.getAuthorizationConsent();
        Set<String> requested = context.getAuthorizationRequest().getScopes();
        return earlier == null || !earlier.getScopes().containsAll(requested);
    }

    /** "Do not allow" posts no scopes: nothing is granted now, and what was allowed before is withdrawn. */
    static void refusalWithdraws(OAuth2AuthorizationConsentAuthenticationContext context) {
        OAuth2AuthorizationConsentAuthenticationToken answer = context.getAuthentication();
        if (answer.getScopes().isEmpty()) {
            context.getAuthorizationConsent().authorities(Set::clear);
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (AuthorizeEndpoint.answer(request)) {
            CsrfToken expected = tokens.loadToken(request);
            String given = expected == null ? null : resolver.resolveCsrfTokenValue(request, expected);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    expected.getToken().getBytes(StandardCharsets.UTF_8))) {
                response.sendError(HttpServletResponse.SC_FORBIDDEN);
                return;
            }
        }
        chain.doFilter(request, response);
    }

}
