package org.charnwood.app.security.accounts;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed-in sessions still going, by the sign-in they started with (account and time of signing in, which a
 * grant keeps in its principal). SMART's {@code online_access} lasts only while the person remains online: a
 * refresh of such a grant is allowed only while the session it was given in is live, that is not signed out,
 * timed out (idle or absolute, measured as {@link SessionTimeouts} does, even before the next request notices),
 * ended by an administrator ({@link AccountEndings}, likewise) or by the identity provider's back-channel logout. Kept in this instance's memory, as the sessions are:
 * after a restart there are none, so no online grant refreshes either.
 */
@Component
public class LiveSignIns implements HttpSessionListener {

    /** A sign-in and the session it was made in. */
    private record Live(SignedInPerson person, HttpSession session) {
    }

    private final Map<String, Live> sessions = new ConcurrentHashMap<>();
    private final SecuritySettings settings;
    private final AccountEndings endings;
    private final Clock clock;

    public LiveSignIns(SecuritySettings settings, AccountEndings endings, Clock clock) {
        this.settings = settings;
        this.endings = endings;
        this.clock = clock;
    }

    /**
     * Records the person's sign-in on the session. Answers the other people whose sign-in on that same session ends
     * with it: someone still signed in on the browser (who walked away without signing out) when the next person
     * signed in, whichever way they did, so that their apps' online access does not live on in the next person's
     * session.
     */
    List<SignedInPerson> started(SignedInPerson person, HttpSession session) {
        List<SignedInPerson> replaced = new ArrayList<>();
        sessions.values().removeIf(live -> {
            boolean someoneElse = sameSession(live.session(), session)
                    && !live.person().accountId().equals(person.accountId());
            if (someoneElse) {
                replaced.add(live.person());
            }
            return someoneElse;
        });
        sessions.put(key(person), new Live(person, session));
        return replaced;
    }

    /** Whether the session this person signed in with (as a grant remembers them) is still going. */
    public boolean isLive(SignedInPerson person) {
        String key = key(person);
        Live live = sessions.get(key);
        if (live == null) {
            return false;
        }
        HttpSession session = live.session();
        try {
            if (!(session.getAttribute(SignedInSessions.SIGNED_IN_AT) instanceof Instant signedInAt)) {
                return false;
            }
            Instant lastSeen = session.getAttribute(SignedInSessions.LAST_SEEN) instanceof Instant l ? l : signedInAt;
            return !SessionTimeouts.expired(signedInAt, lastSeen, clock.instant(), settings.session())
                    && endings.endedSince(person.accountId(), signedInAt) == null;
        } catch (IllegalStateException invalidated) {
            sessions.remove(key, live);
            return false;
        }
    }

    /** Every way a session ends (sign-out, time-out, back-channel logout, the container's expiry) comes here. */
    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        String id = event.getSession().getId();
        sessions.values().removeIf(live -> id.equals(live.session().getId()));
    }

    /** By id, which a session keeps through {@code changeSessionId} as the same session object does. */
    private static boolean sameSession(HttpSession a, HttpSession b) {
        return a == b || a.getId().equals(b.getId());
    }

    private static String key(SignedInPerson person) {
        return person.accountId() + "|" + person.authenticatedAt();
    }
}
