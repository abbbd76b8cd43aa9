package org.charnwood.app.security.accounts;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.SignOutRecorded;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Starting and ending a signed-in session: a fresh session id (against session fixation), the person in the
 * security context, the times the timeouts are measured from, and back to where they were going (usually the
 * authorisation endpoint of an app's launch).
 */
@Component
public class SignedInSessions {

    public static final String SIGNED_IN_AT = "charnwood.session.signed-in-at";
    public static final String LAST_SEEN = "charnwood.session.last-seen";

    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final LiveSignIns live;

    public SignedInSessions(ApplicationEventPublisher events, Clock clock, LiveSignIns live) {
        this.events = events;
        this.clock = clock;
        this.live = live;
    }

    public void establish(SignedInPerson person, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        SavedRequest saved = requestCache.getRequest(request, response);
        request.getSession(true);
        request.changeSessionId();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication(person));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        HttpSession session = request.getSession();
        // A finished sign-in (possibly as someone else) replaces a half-finished one's choice of a new password.
        session.removeAttribute(NewPasswordPage.PENDING);
        Instant now = clock.instant();
        session.setAttribute(SIGNED_IN_AT, now);
        session.setAttribute(LAST_SEEN, now);
        // Someone else still signed in on this browser (who walked away without signing out) is signed out by this
        // sign-in, and recorded so; their apps' online access ends with it.
        for (SignedInPerson previous : live.started(person, session)) {
            events.publishEvent(new SignOutRecorded(previous.asRequester(request.getRemoteAddr()), false, now));
        }
        requestCache.removeRequest(request, response);
        response.sendRedirect(saved == null ? "/signin/done" : saved.getRedirectUrl());
    }

    /**
     * The authentication a signed-in person carries: their access roles as {@code ROLE_} authorities, and the
     * factor they signed in with and when (the ID token's {@code auth_time} comes from it).
     */
    public static Authentication authentication(SignedInPerson person) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        person.roles().stream().map(AccessRole::name).forEach(r -> authorities.add(new SimpleGrantedAuthority("ROLE_" + r)));
        authorities.add(FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
                .issuedAt(person.authenticatedAt()).build());
        return UsernamePasswordAuthenticationToken.authenticated(person, null, authorities);
    }

    /** Ends the session, publishing the sign-out (or time-out) when someone was signed in. */
    public void end(HttpServletRequest request, HttpServletResponse response, boolean timedOut) {
        end(request, person -> new SignOutRecorded(person.asRequester(request.getRemoteAddr()), timedOut,
                clock.instant()));
    }

    /**
     * Ends the session because an administrator ended its account's sessions ({@link AccountEndings}), publishing
     * it as a sign-out with the {@code reason}.
     */
    public void endForAccount(HttpServletRequest request, String reason) {
        end(request, person -> new SignOutRecorded(person.asRequester(request.getRemoteAddr()), false,
                clock.instant(), reason));
    }

    private void end(HttpServletRequest request, java.util.function.Function<SignedInPerson, SignOutRecorded> recorded) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return;
        }
        if (signedIn(session) instanceof SignedInPerson person) {
            events.publishEvent(recorded.apply(person));
        }
        session.invalidate();
        SecurityContextHolder.clearContext();
    }

    /** The person signed in with this session; null when nobody is. */
    static SignedInPerson signedIn(HttpSession session) {
        Object stored = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
        return stored instanceof SecurityContext context && context.getAuthentication() != null
                && context.getAuthentication().getPrincipal() instanceof SignedInPerson person ? person : null;
    }
}
