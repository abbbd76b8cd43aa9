package org.charnwood.app.security.oauth;

import org.charnwood.app.security.web.RowsBySequence;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorisations granted (codes, access and refresh tokens), with a quick answer to "was this access token
 * revoked?". Access tokens are self-contained JWTs the resource server checks without a look-up; revocation
 * (directly, or by revoking the refresh token of the same grant) must still take effect at once, so revoked
 * access tokens are written to {@code auth.revoked_access_token} and kept in memory until they would have
 * expired anyway. Each instance reads revocations made elsewhere (by another instance, or before a restart) at
 * most {@link #SYNC_INTERVAL} after they were made, by sequence number ({@link RowsBySequence}), so the check stays a
 * map look-up.
 */
public class RevocationAwareAuthorizations implements OAuth2AuthorizationService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RevocationAwareAuthorizations.class);

    static final Duration SYNC_INTERVAL = RowsBySequence.INTERVAL;

    private final OAuth2AuthorizationService delegate;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final RowsBySequence revocations;

    public RevocationAwareAuthorizations(OAuth2AuthorizationService delegate, JdbcTemplate jdbc, Clock clock) {
        this.delegate = delegate;
        this.jdbc = jdbc;
        this.clock = clock;
        this.revocations = new RowsBySequence(jdbc,
                "select seq, token_hash, expires_at from auth.revoked_access_token where seq > ? order by seq");
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access != null && access.isInvalidated()) {
            remember(access.getToken());
        }
        revokeReplacedAccessToken(authorization);
        delegate.save(authorization);
    }

    /**
     * A refresh replaces the grant's access token, and the grant keeps only the newest: the one it replaced is
     * revoked. Were it left to run out, it would go on working at {@code /fhir} while introspection called it
     * inactive, revoking it would find nothing to revoke, and revoking the grant's refresh token (RFC 7009 section
     * 2.1: every access token of the grant) or ending the grant would leave it working for up to an hour.
     */
    private void revokeReplacedAccessToken(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access == null || authorization.getRefreshToken() == null) {
            return;
        }
        OAuth2Authorization before = delegate.findById(authorization.getId());
        OAuth2Authorization.Token<OAuth2AccessToken> replaced = before == null ? null : before.getAccessToken();
        if (replaced != null && !TokenHash.ofHeld(replaced.getToken().getTokenValue())
                .equals(TokenHash.ofHeld(access.getToken().getTokenValue()))) {
            remember(replaced.getToken());
        }
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        if (authorization.getAccessToken() != null) {
            remember(authorization.getAccessToken().getToken());
        }
        delegate.remove(authorization);
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return delegate.findById(id);
    }

    /**
     * As the stored grants answer, except that a refresh token already replaced by rotation, presented again, ends
     * its whole grant (RFC 9700 section 4.14.2): either the app or someone who copied the token has used the newer
     * one, and there is no telling which, so neither keeps the grant. The request itself gets {@code invalid_grant}.
     */
    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        OAuth2Authorization found = delegate.findByToken(token, tokenType);
        if (found == null && token != null && (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType))
                && delegate instanceof StoredAuthorizations stored) {
            OAuth2Authorization reused = stored.retiredBy(token);
            if (reused != null) {
                log.warn("A refresh token replaced by rotation was presented again; grant {} of client {} is ended",
                        reused.getId(), reused.getRegisteredClientId());
                remove(reused);
            }
        }
        return found;
    }

    /**
     * Ends every grant of a client: its codes and refresh tokens are gone and its access tokens revoked at once, as
     * when the client is removed, so a trust taking away a compromised app is not left with its tokens working.
     *
     * @return how many grants were ended
     */
    public int endAllOf(String clientId) {
        return endThoseOf(clientId, grant -> true);
    }

    /**
     * Ends the grants of a client that {@code ending} picks, as {@link #endAllOf} ends them all. A grant that cannot
     * be read (written by an older version) is ended too: nothing in it can be judged, or used once its row is gone.
     *
     * @return how many grants were ended
     */
    public int endThoseOf(String clientId, java.util.function.Predicate<OAuth2Authorization> ending) {
        List<String> ids = jdbc.queryForList(
                "select id from auth.authorization where registered_client = ? for update", String.class, clientId);
        int ended = 0;
        for (String id : ids) {
            OAuth2Authorization grant = findById(id);
            if (grant == null) {
                jdbc.update("delete from auth.authorization where id = ?", id);
                ended++;
            } else if (ending.test(grant)) {
                remove(grant);
                ended++;
            }
        }
        return ended;
    }

    /** Whether an access token was revoked before it expired. */
    public boolean isRevoked(String accessTokenValue) {
        revocations.catchUp(rs -> revoked.put(rs.getString(2), rs.getTimestamp(3).toInstant()));
        return revoked.containsKey(TokenHash.of(accessTokenValue));
    }

    /** Forgets expired grants and revocations: the tables only hold what can still be used or refused. */
    @Scheduled(fixedDelayString = "${charnwood.security.grant-cleanup-interval:10m}", initialDelayString = "1m")
    public void removeExpired() {
        Instant now = clock.instant();
        revoked.values().removeIf(expiry -> expiry.isBefore(now));
        jdbc.update("delete from auth.revoked_access_token where expires_at < ?", Timestamp.from(now));
        if (delegate instanceof StoredAuthorizations stored) {
            stored.removeExpired();
        }
    }

    private void remember(OAuth2AccessToken token) {
        Instant now = clock.instant();
        String hash = TokenHash.ofHeld(token.getTokenValue());
        Instant expiry = token.getExpiresAt() == null ? now.plusSeconds(86_400) : token.getExpiresAt();
        revoked.put(hash, expiry);
        jdbc.update("insert into auth.revoked_access_token (token_hash, expires_at) values (?, ?) "
                + "on conflict (token_hash) do nothing", hash, Timestamp.from(expiry));
    }
}
