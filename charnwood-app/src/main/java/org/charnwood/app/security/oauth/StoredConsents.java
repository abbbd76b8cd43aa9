package org.charnwood.app.security.oauth;

import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;

import java.util.List;

/**
 * What a person has agreed an app may do ({@code auth.authorization_consent}), kept across restarts and shared by
 * every instance, so a patient is not asked again about the same app after a deployment ({@link ConsentAnswers}).
 * Answers are stored through {@link AllowedApps}, which records each in the audit trail and ends an app's sign-ins
 * when it is refused.
 */
class StoredConsents implements OAuth2AuthorizationConsentService {

    private final JdbcTemplate jdbc;
    private final AllowedApps apps;

    StoredConsents(JdbcTemplate jdbc, AllowedApps apps) {
        this.jdbc = jdbc;
        this.apps = apps;
    }

    /** The person's answer "Allow", recorded in the audit trail with it ({@link AllowedApps#allow}). */
    @Override
    public void save(OAuth2AuthorizationConsent consent) {
        List<String> authorities = consent.getAuthorities().stream().map(a -> a.getAuthority()).toList();
        SignedInPerson person = answeringPerson(consent.getPrincipalName());
        if (person == null) {
            // Only patients and carers are asked (ConsentAnswers.mustAsk), always from their signed-in browser.
            throw new IllegalStateException("an app's permissions can only be stored for the person answering");
        }
        apps.allow(consent.getRegisteredClientId(), person.asRequester(sourceAddress()), person.patientId(), authorities);
    }

    /** "Do not allow" forgets what was allowed before, and ends the app's sign-ins as stopping it would. */
    @Override
    public void remove(OAuth2AuthorizationConsent consent) {
        SignedInPerson person = answeringPerson(consent.getPrincipalName());
        if (person == null) {
            jdbc.update("delete from auth.authorization_consent where registered_client = ? and principal = ?",
                    consent.getRegisteredClientId(), consent.getPrincipalName());
            return;
        }
        apps.stop(consent.getRegisteredClientId(), person.asRequester(sourceAddress()), person.patientId());
    }

    /** The signed-in person giving the answer, when it is their own answer being stored. */
    private static SignedInPerson answeringPerson(String principalName) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof SignedInPerson person
                && person.accountId().equals(principalName) ? person : null;
    }

    private static String sourceAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                ? request.getRequest().getRemoteAddr() : null;
    }

    @Override
    public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        List<String> rows = jdbc.queryForList("""
                select authorities from auth.authorization_consent where registered_client = ? and principal = ?""",
                String.class, registeredClientId, principalName);
        if (rows.isEmpty()) {
            return null;
        }
        OAuth2AuthorizationConsent.Builder consent = OAuth2AuthorizationConsent.withId(registeredClientId, principalName);
        for (String authority : rows.getFirst().split(" ")) {
            if (!authority.isBlank()) {
                consent.authority(new SimpleGrantedAuthority(authority));
            }
        }
        return consent.build();
    }
}
