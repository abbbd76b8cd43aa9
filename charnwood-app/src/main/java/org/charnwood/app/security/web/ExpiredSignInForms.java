package org.charnwood.app.security.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.MissingCsrfTokenException;

import java.io.IOException;
import java.util.Set;

/**
 * A sign-in form posted from a page that outlived its session (left open longer than an idle session lasts, or
 * the session ended in another tab) goes back to the sign-in page, which says the page was open too long and asks
 * again; nothing is signed in. A bare 403 "you cannot use this page" would tell a patient at the sign-in page
 * nothing they could act on. Only when the browser has no session token at all ({@link MissingCsrfTokenException}):
 * a wrong token in a live session (a form forged on another site) is still refused with 403, as is every other
 * refusal, by the next handler. Signing out from a page whose session has already ended likewise lands on the
 * sign-in page saying the person is signed out. Any other form refused for its token is marked for the error page,
 * which says the page has expired and to sign in again.
 */
final class ExpiredSignInForms implements AccessDeniedHandler {

    private static final Set<String> SIGN_IN_FORMS = Set.of("/signin", "/signin/second-factor",
            "/signin/new-password");

    private final AccessDeniedHandler next;

    ExpiredSignInForms(AccessDeniedHandler next) {
        this.next = next;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException refused)
            throws IOException, ServletException {
        if (refused instanceof MissingCsrfTokenException && "POST".equals(request.getMethod())) {
            String path = RateLimits.routedPath(request);
            if (SIGN_IN_FORMS.contains(path)) {
                redirect(request, response, "/signin?expired");
                return;
            }
            if (path.equals("/signout")) {
                // No session, so nobody is signed in here: the sign-out asked for has in effect happened (most often
                // a time-out came first), and the page says so.
                redirect(request, response, "/signin?signedout");
                return;
            }
        }
        if (refused instanceof CsrfException) {
            // Spring's own attribute, which its handler sets only when it forwards to an error page of its own: the
            // error page reads it to say the page expired rather than that the person may not use it.
            request.setAttribute(WebAttributes.ACCESS_DENIED_403, refused);
        }
        next.handle(request, response, refused);
    }

    private static void redirect(HttpServletRequest request, HttpServletResponse response, String to) {
        response.setStatus(303);
        response.setHeader("Location", request.getContextPath() + to);
    }
}
