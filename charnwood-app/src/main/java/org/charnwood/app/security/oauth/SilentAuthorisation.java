package org.charnwood.app.security.oauth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Arrays;

/**
 * OpenID Connect's {@code prompt=none} (Core 3.1.2.1): the app wants a code only if the person is signed in already,
 * with nothing shown to them. Someone not signed in is therefore not sent to the sign-in page: the app is told
 * {@code login_required} at its registered redirect URI, with its {@code state} ({@link AuthorizeErrors}). The
 * authorisation server itself checks {@code prompt=none} only once someone is signed in, which such a request never
 * reaches; it answers {@code consent_required} for a signed-in person who would be asked. This runs after the
 * request's parameters were checked, so a malformed request still gets its own error.
 */
final class SilentAuthorisation extends OncePerRequestFilter {

    private final AuthenticationFailureHandler errors;

    SilentAuthorisation(AuthenticationFailureHandler errors) {
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !AuthorizeEndpoint.request(request) || !silent(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof SignedInPerson) {
            chain.doFilter(request, response);
            return;
        }
        errors.onAuthenticationFailure(request, response, new OAuth2AuthenticationException(new OAuth2Error(
                "login_required", "prompt=none and nobody is signed in", null)));
    }

    /** An OpenID Connect request ({@code openid} scope) with {@code prompt=none}. */
    static boolean silent(HttpServletRequest request) {
        String prompt = request.getParameter("prompt");
        String scope = request.getParameter("scope");
        return prompt != null && scope != null && Arrays.asList(prompt.split(" ")).contains("none")
                && Arrays.asList(scope.split(" ")).contains("openid");
    }
}
