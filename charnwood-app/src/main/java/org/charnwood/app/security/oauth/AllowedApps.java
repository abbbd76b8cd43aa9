package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AppAccessChanged;
import org.charnwood.app.security.Requester;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The apps a patient or carer has allowed to use a record ({@code auth.authorization_consent}), and the two things
 * they can do about it: allow one (on the question {@link AppConsentPage} asks) and stop one. Stopping an app
 * forgets the answer and ends every sign-in the app holds for the person (its refresh tokens, and its access tokens
 * at once, through {@link RevocationAwareAuthorizations}), so the app cannot go on reading until a token expires.
 * Each answer commits in one transaction with its audit record ({@link AppAccessChanged}).
 */
@Component
public class AllowedApps {

    private static final String SCOPE = "SCOPE_";

    /** An app and what it was allowed to do, as the person last answered. */
    public record AllowedApp(String clientId, String name, List<String> scopes, Instant allowedAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final RevocationAwareAuthorizations authorizations;
    private final ClientStore clients;

    AllowedApps(JdbcTemplate jdbc, TransactionTemplate tx, ApplicationEventPublisher events,
                RevocationAwareAuthorizations authorizations, ClientStore clients) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.authorizations = authorizations;
        this.clients = clients;
    }

    /** The apps an account has allowed, most recently allowed first. */
    public List<AllowedApp> of(String accountId) {
        return jdbc.query("""
                        select registered_client, authorities, allowed_at from auth.authorization_consent
                        where principal = ? order by allowed_at desc, registered_client""",
                (rs, n) -> {
                    String clientId = rs.getString(1);
                    var client = clients.find(clientId);
                    return new AllowedApp(clientId, client == null || client.name() == null ? clientId : client.name(),
                            scopes(Arrays.asList(rs.getString(2).split(" "))), rs.getTimestamp(3).toInstant());
                }, accountId);
    }

    /** Stores what the person allowed (authorities as the authorisation server keeps them), with its audit record. */
    void allow(String clientId, Requester person, String patientId, Collection<String> authorities) {
        List<String> stored = authorities.stream().sorted().toList();
        tx.executeWithoutResult(status -> {
            jdbc.update("""
                    insert into auth.authorization_consent (registered_client, principal, authorities, allowed_at)
                    values (?, ?, ?, now())
                    on conflict (registered_client, principal) do update
                      set authorities = excluded.authorities, allowed_at = excluded.allowed_at""",
                    clientId, person.subject(), String.join(" ", stored));
            events.publishEvent(new AppAccessChanged(person, clientId, scopes(stored), patientId, true, 0));
        });
    }

    /**
     * Stops an app using the person's record: forgets what they allowed and ends the app's sign-ins for them.
     * Returns false when the person had not allowed the app (nothing is changed or recorded then).
     */
    public boolean stop(String clientId, Requester person, String patientId) {
        Boolean stopped = tx.execute(status -> {
            int forgotten = jdbc.update("delete from auth.authorization_consent where registered_client = ? and principal = ?",
                    clientId, person.subject());
            if (forgotten == 0) {
                return false;
            }
            int ended = endSignIns(clientId, person.subject());
            events.publishEvent(new AppAccessChanged(person, clientId, List.of(), patientId, false, ended));
            return true;
        });
        return Boolean.TRUE.equals(stopped);
    }

    /** Ends every grant the app holds for the account: codes, refresh tokens, and access tokens (revoked). */
    private int endSignIns(String clientId, String accountId) {
        List<String> ids = jdbc.queryForList(
                "select id from auth.authorization where registered_client = ? and principal = ? for update",
                String.class, clientId, accountId);
        for (String id : ids) {
            OAuth2Authorization grant = authorizations.findById(id);
            if (grant != null) {
                authorizations.remove(grant);
            } else {
                // Unreadable (written by an older version): nothing in it can be used once its row is gone.
                jdbc.update("delete from auth.authorization where id = ?", id);
            }
        }
        return ids.size();
    }

    private static List<String> scopes(Collection<String> authorities) {
        return authorities.stream().filter(a -> !a.isBlank())
                .map(a -> a.startsWith(SCOPE) ? a.substring(SCOPE.length()) : a).toList();
    }
}
