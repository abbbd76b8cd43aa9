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
 *
 * <p>Only what a person does counts as activity. Requests a page makes by itself (a live board's event stream,
 * which the browser reconnects every few minutes, and its refreshes, marked with {@link #BACKGROUND_HEADER}) are
 * still refused once the session has timed out, but do not keep it alive: an unattended workstation showing a
 * board must still reach the idle limit.
 *
 * <p>A session is ended as well when an administrator has ended its account's sessions since it was signed in
 * ({@link AccountEndings}: the account disabled, given a new password, or its authenticator reset), however busy
 * it is: the person is signed out, with the reason on the audit trail.
 */
public class SessionTimeouts extends OncePerRequestFilter {

    /** Sent by a page's own refreshes (static/workspace/live-board.js), not by anything a person does. */
    public static final String BACKGROUND_HEADER = "X-Background-Refresh";

    /**
     * Set in the fresh session of a browser whose signed-in session just timed out, so the sign-in page it is sent
     * to can say why ({@link SignInPages}), once.
     */
    static final String TIMED_OUT = "charnwood.signin.timed-out";
    /** The value of {@link #TIMED_OUT}: which limit ended the session, since the page says which. */
    static final String IDLE = "idle";
    static final String ABSOLUTE = "absolute";

    private final SignedInSessions sessions;
    private final AccountEndings endings;
    private final SecuritySettings settings;
    private final Clock clock;

    public SessionTimeouts(SignedInSessions sessions, AccountEndings endings, SecuritySettings settings,
                           Clock clock) {
        this.sessions = sessions;
        this.endings = endings;
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
            SignedInPerson person = SignedInSessions.signedIn(session);
            String ended = person == null ? null : endings.endedSince(person.accountId(), signedInAt);
            if (ended != null) {
                sessions.endForAccount(request, ended);
            } else if (expired(signedInAt, lastSeen, now, settings.session())) {
                sessions.end(request, response, true);
                boolean idle = Duration.between(lastSeen, now).compareTo(settings.session().idle()) > 0;
                request.getSession(true).setAttribute(TIMED_OUT, idle ? IDLE : ABSOLUTE);
            } else if (!madeByThePage(request)) {
                session.setAttribute(SignedInSessions.LAST_SEEN, now);
            }
        }
        chain.doFilter(request, response);
    }

    /** An event stream (EventSource cannot add headers, but always asks for one) or a marked refresh. */
    static boolean madeByThePage(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return request.getHeader(BACKGROUND_HEADER) != null
                || (accept != null && accept.contains("text/event-stream"));
    }

    static boolean expired(Instant signedInAt, Instant lastSeen, Instant now, SecuritySettings.Session limits) {
        return Duration.between(lastSeen, now).compareTo(limits.idle()) > 0
                || Duration.between(signedInAt, now).compareTo(limits.absolute()) > 0;
    }
}
