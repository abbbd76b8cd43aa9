package org.charnwood.app.security.oauth;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * Launch ids minted for a SMART launch: an opaque, short-lived, single-purpose handle on the patient (and
 * encounter) a member of staff had open when they launched an app, or chose in the patient picker. The app
 * passes it back as the {@code launch} parameter and the token response carries the context it stands for.
 * A launch id is good for one token, for the person who minted it: anyone else who learns it (from a URL in a
 * log or a browser history) cannot open an app on that patient with it, nor can it be replayed.
 * Kept in PostgreSQL ({@code auth.smart_launch}), by the hash of the id, because the app's token request may reach
 * another instance behind the load balancer than the one the staff page minted it at.
 */
@Component
public class LaunchContexts {

    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a launch id stands for; {@code clientId} is the app it is for, or null for any app. */
    public record Launch(String patient, String encounter, String mintedBy, String clientId, Instant expiresAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public LaunchContexts(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Mints a launch id for the context, good for {@code mintedBy} (an account id) opening the app {@code clientId}
     * (null: any app they authorise).
     */
    public String mint(String patient, String encounter, String mintedBy, String clientId) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.update("insert into auth.smart_launch (launch_hash, patient, encounter, minted_by, client_id, expires_at)"
                        + " values (?, ?, ?, ?, ?, ?)", TokenHash.of(id), patient, encounter, mintedBy, clientId,
                Timestamp.from(clock.instant().plus(LIFETIME)));
        return id;
    }

    /**
     * Uses up the launch a launch id stands for, when {@code user} (an account id) minted it for the app
     * {@code clientId} (or for any app); null when unknown, expired, already used, minted by someone else or for
     * another app. Such an attempt leaves it for its owner and its app.
     */
    public Launch use(String id, String user, String clientId) {
        if (id == null || user == null || clientId == null) {
            return null;
        }
        // One statement: of two requests racing with the same launch id, at whichever instances, one deletes the row.
        List<Launch> used = jdbc.query("""
                        delete from auth.smart_launch where launch_hash = ? and minted_by = ?
                          and (client_id is null or client_id = ?) and expires_at > ?
                        returning patient, encounter, minted_by, client_id, expires_at""",
                (rs, i) -> new Launch(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()),
                TokenHash.of(id), user, clientId, Timestamp.from(clock.instant()));
        return used.isEmpty() ? null : used.get(0);
    }

    /** An expired launch is refused for its expiry anyway: its row need not be kept. */
    @Scheduled(fixedDelayString = "${charnwood.security.grant-cleanup-interval:10m}", initialDelayString = "1m")
    void removeExpired() {
        jdbc.update("delete from auth.smart_launch where expires_at <= ?", Timestamp.from(clock.instant()));
    }
}
