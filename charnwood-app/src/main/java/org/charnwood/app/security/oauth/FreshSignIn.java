package org.charnwood.app.security.oauth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * OpenID Connect's {@code prompt=login} and {@code max_age} (Core 3.1.2.1): an app that asks the person to sign in
 * again, or to have signed in within so many seconds, gets a sign-in that recent, not a code from an older session.
 * The person is sent to the sign-in page; once they have signed in again (after the moment they were asked), the
 * authorisation request goes on, and the ID token's {@code auth_time} is the new sign-in's. Only requests by GET
 * are sent round: a posted request asking for it is refused with {@code login_required} rather than answered from
 * the old sign-in.
 */
final class FreshSignIn extends OncePerRequestFilter {

    static final String ASKED_AT = "charnwood.oauth.fresh-sign-in-asked-at";

    private final HttpSessionRequestCache requests = new HttpSessionRequestCache();
    private final Clock clock;
    private final String signInPage;
    private final AuthenticationFailureHandler errors;

    FreshSignIn(Clock clock, String signInPage, AuthenticationFailureHandler errors) {
        this.clock = clock;
        this.signInPage = signInPage;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !AuthorizeEndpoint.addressed(request) || !AuthorizeEndpoint.carriesResponseType(request)
                || (!promptsLogin(request) && request.getParameter("max_age") == null);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (authentication == null || !(authentication.getPrincipal() instanceof SignedInPerson person)
                || session == null) {
            chain.doFilter(request, response); // not signed in: the sign-in that follows is fresh anyway
            return;
        }
        Instant now = clock.instant();
        Instant asked = session.getAttribute(ASKED_AT) instanceof Instant at ? at : null;
        if (asked != null && !person.authenticatedAt().isBefore(asked)) {
            session.removeAttribute(ASKED_AT); // signed in again since they were asked
            chain.doFilter(request, response);
            return;
        }
        if (!promptsLogin(request) && !tooOld(person.authenticatedAt(), request.getParameter("max_age"), now)) {
            chain.doFilter(request, response);
            return;
        }
        if (SilentAuthorisation.silent(request)) {
            // prompt=none: nothing may be shown, so the app is told rather than the person asked to sign in.
            errors.onAuthenticationFailure(request, response, new OAuth2AuthenticationException(new OAuth2Error(
                    "login_required", "prompt=none and the sign-in is older than max_age", null)));
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "login_required");
            return;
        }
        session.setAttribute(ASKED_AT, now);
        requests.saveRequest(request, response);
        session.removeAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
        SecurityContextHolder.clearContext();
        response.sendRedirect(request.getContextPath() + signInPage);
    }

    private static boolean promptsLogin(HttpServletRequest request) {
        String prompt = request.getParameter("prompt");
        return prompt != null && Arrays.asList(prompt.split(" ")).contains("login");
    }

    /** Whether the sign-in is older than {@code max_age} seconds; a malformed value asks for a fresh one. */
    private static boolean tooOld(Instant signedIn, String maxAge, Instant now) {
        if (maxAge == null) {
            return false;
        }
        try {
            return Duration.between(signedIn, now).getSeconds() > Long.parseLong(maxAge.trim());
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
