package org.charnwood.app.security.oauth;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

/**
 * The client assertions each backend client has used, by {@code jti}, until they expire: SMART Backend Services
 * allows one token request per assertion, so one copied off the wire or out of a log cannot get another token. Kept
 * in PostgreSQL ({@code auth.used_client_assertion}), not in memory, so a replay is refused after a restart and at
 * every instance behind the load balancer, whichever took the first use.
 */
@Component
class UsedClientAssertions {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    UsedClientAssertions(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Records the assertion's use; false when the client already used the same {@code jti} in an assertion that
     * has not expired yet. One statement, so two requests racing with the same assertion cannot both succeed.
     */
    boolean firstUse(String clientId, String jti, Instant expiresAt) {
        return jdbc.update("""
                insert into auth.used_client_assertion (client_id, jti, expires_at) values (?, ?, ?)
                on conflict (client_id, jti) do update set expires_at = excluded.expires_at
                  where auth.used_client_assertion.expires_at < ?""",
                clientId, jti, Timestamp.from(expiresAt), Timestamp.from(clock.instant())) == 1;
    }

    /** An expired assertion is refused for its expiry anyway: its jti need not be kept. */
    @Scheduled(fixedDelayString = "${charnwood.security.grant-cleanup-interval:10m}", initialDelayString = "1m")
    void removeExpired() {
        jdbc.update("delete from auth.used_client_assertion where expires_at < ?", Timestamp.from(clock.instant()));
    }
}
