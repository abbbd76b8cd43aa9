package org.charnwood.app.security.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Ends signed-in sessions that were idle too long or have lasted too long in any case (NHS guidance for shared
 * clinical workstations), before the security context is read from them. Measured with the injected clock so
 * the rule can be tested without waiting.
 */
public class SessionTimeouts extends OncePerRequestFilter {

    private final SignedInSessions sessions;
    private final SecuritySettings settings;
    private final Clock clock;

    public SessionTimeouts(SignedInSessions sessions, SecuritySettings settings, Clock clock) {
        this.sessions = sessions;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SignedInSessions.SIGNED_IN_AT) instanceof Instant signedInAt) {
            Instant now = clock.instant();
            Instant lastSeen = session.getAttribute(SignedInSessions.LAST_SEEN) instanceof Instant l ? l : signedInAt;
            if (expired(signedInAt, lastSeen, now, settings.session())) {
                sessions.end(request, response, true);
            } else {
                session.setAttribute(SignedInSessions.LAST_SEEN, now);
            }
        }
        chain.doFilter(request, response);
    }

    static boolean expired(Instant signedInAt, Instant lastSeen, Instant now, SecuritySettings.Session limits) {
        return Duration.between(lastSeen, now).compareTo(limits.idle()) > 0
                || Duration.between(signedInAt, now).compareTo(limits.absolute()) > 0;
    }
}
