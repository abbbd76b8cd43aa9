package org.charnwood.app.security.oauth;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a person has agreed an app may do ({@code auth.authorization_consent}), kept across restarts and shared by
 * every instance, so a patient is not asked again about the same app after a deployment ({@link ConsentAnswers}).
 */
class StoredConsents implements OAuth2AuthorizationConsentService {

    private final JdbcTemplate jdbc;

    StoredConsents(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(OAuth2AuthorizationConsent consent) {
        String authorities = consent.getAuthorities().stream().map(a -> a.getAuthority())
                .sorted().collect(Collectors.joining(" "));
        jdbc.update("""
                insert into auth.authorization_consent (registered_client, principal, authorities) values (?, ?, ?)
                on conflict (registered_client, principal) do update set authorities = excluded.authorities""",
                consent.getRegisteredClientId(), consent.getPrincipalName(), authorities);
    }

    @Override
    public void remove(OAuth2AuthorizationConsent consent) {
        jdbc.update("delete from auth.authorization_consent where registered_client = ? and principal = ?",
                consent.getRegisteredClientId(), consent.getPrincipalName());
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
