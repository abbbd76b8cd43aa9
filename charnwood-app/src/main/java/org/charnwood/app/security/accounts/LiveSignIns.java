package org.charnwood.app.security.accounts;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed-in sessions still going, by the sign-in they started with (account and time of signing in, which a
 * grant keeps in its principal). SMART's {@code online_access} lasts only while the person remains online: a
 * refresh of such a grant is allowed only while the session it was given in is live, that is not signed out,
 * timed out (idle or absolute, measured as {@link SessionTimeouts} does, even before the next request notices)
 * or ended by the identity provider's back-channel logout. Kept in this instance's memory, as the sessions are:
 * after a restart there are none, so no online grant refreshes either.
 */
@Component
public class LiveSignIns implements HttpSessionListener {

    private final Map<String, HttpSession> sessions = new ConcurrentHashMap<>();
    private final SecuritySettings settings;
    private final Clock clock;

    public LiveSignIns(SecuritySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    void started(SignedInPerson person, HttpSession session) {
        sessions.put(key(person), session);
    }

    /** The person's sign-in has ended although the session goes on (another person signed in on it). */
    void ended(SignedInPerson person) {
        sessions.remove(key(person));
    }

    /** Whether the session this person signed in with (as a grant remembers them) is still going. */
    public boolean isLive(SignedInPerson person) {
        String key = key(person);
        HttpSession session = sessions.get(key);
        if (session == null) {
            return false;
        }
        try {
            if (!(session.getAttribute(SignedInSessions.SIGNED_IN_AT) instanceof Instant signedInAt)) {
                return false;
            }
            Instant lastSeen = session.getAttribute(SignedInSessions.LAST_SEEN) instanceof Instant l ? l : signedInAt;
            return !SessionTimeouts.expired(signedInAt, lastSeen, clock.instant(), settings.session());
        } catch (IllegalStateException invalidated) {
            sessions.remove(key, session);
            return false;
        }
    }

    /** Every way a session ends (sign-out, time-out, back-channel logout, the container's expiry) comes here. */
    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        String id = event.getSession().getId();
        sessions.values().removeIf(s -> id.equals(s.getId()));
    }

    private static String key(SignedInPerson person) {
        return person.accountId() + "|" + person.authenticatedAt();
    }
}
