package org.charnwood.app.testing;

import org.charnwood.app.security.SignInRecorded;
import org.charnwood.app.security.SignOutRecorded;
import org.springframework.context.event.EventListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Sign-in and sign-out events the application published, for tests to check (as the audit trail would see them). */
public class RecordedSecurityEvents {

    private final List<Object> events = new CopyOnWriteArrayList<>();

    @EventListener
    void signIn(SignInRecorded event) {
        events.add(event);
    }

    @EventListener
    void signOut(SignOutRecorded event) {
        events.add(event);
    }

    public List<SignInRecorded> signIns(String username) {
        return events.stream().filter(e -> e instanceof SignInRecorded s && username.equals(s.username()))
                .map(SignInRecorded.class::cast).toList();
    }

    public List<SignOutRecorded> signOuts(String subject) {
        return events.stream().filter(e -> e instanceof SignOutRecorded s && subject.equals(s.requester().subject()))
                .map(SignOutRecorded.class::cast).toList();
    }
}
