package org.charnwood.app.security.accounts;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.charnwood.app.security.SignOutRecorded;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed-in sessions that began at an external provider, by the provider's subject and session id, so a
 * back-channel logout from the provider can end them. Sessions live in this instance's memory, and so does this
 * index (a deployment with several instances keeps each person on one instance, or relays the logout to all).
 */
@Component
public class FederatedSessions implements HttpSessionListener {

    private record Entry(String registrationId, String subject, String sid, SignedInPerson person, HttpSession session) {
    }

    private final Map<String, Entry> bySessionId = new ConcurrentHashMap<>();
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public FederatedSessions(ApplicationEventPublisher events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    void register(String registrationId, String subject, String sid, SignedInPerson person, HttpSession session) {
        if (session != null) {
            bySessionId.put(session.getId(), new Entry(registrationId, subject, sid, person, session));
        }
    }

    /**
     * Ends every session of the provider's subject (or, with {@code sid}, that provider session only) and records
     * each as a sign-out. Answers how many were ended.
     */
    int end(String registrationId, String subject, String sid) {
        List<Entry> ending = new ArrayList<>();
        for (Entry e : bySessionId.values()) {
            if (e.registrationId().equals(registrationId)
                    && (subject == null || subject.equals(e.subject()))
                    && (sid == null || sid.equals(e.sid()))) {
                ending.add(e);
            }
        }
        for (Entry e : ending) {
            bySessionId.remove(e.session().getId());
            try {
                e.session().invalidate();
            } catch (IllegalStateException alreadyEnded) {
                continue;
            }
            events.publishEvent(new SignOutRecorded(e.person().asRequester(null), false, clock.instant()));
        }
        return ending.size();
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        bySessionId.remove(event.getSession().getId());
    }
}
