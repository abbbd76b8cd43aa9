package org.charnwood.app.security.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * {@code Referrer-Policy: no-referrer} on every response: pages, the FHIR API, sign-in, the authorisation server,
 * static files and error pages alike, so it is set here, in front of every security chain, rather than in each.
 *
 * <p>Why {@code no-referrer} rather than {@code same-origin}: the addresses of our pages name patients (a record's
 * id, an audit search's NHS number) and a SMART launch carries codes and state in its query; a link followed to
 * another site must not take them along. Within the application nothing reads the Referer (CSRF is checked by
 * token, not by origin), so sending none to ourselves either costs nothing and leaves no identifier in the
 * access log of a proxy in front of us.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
final class ReferrerPolicyHeader extends OncePerRequestFilter {

    static final String POLICY = "no-referrer";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Referrer-Policy", POLICY);
        chain.doFilter(request, response);
    }

    /** Error dispatches answer with a page of their own; they carry the header too. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }
}
