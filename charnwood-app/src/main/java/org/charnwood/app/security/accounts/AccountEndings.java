package org.charnwood.app.security.accounts;

import org.charnwood.app.security.web.RowsBySequence;
import org.charnwood.app.security.web.SecuritySettings;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts whose sessions an administrator ended ({@code ./charnwood account disable}, {@code password},
 * {@code reset-totp}), from {@code auth.account_ending}, which the command writes in the transaction of its change.
 * The command runs as a process of its own, beside the running servers, whose sessions live in their own memory:
 * each server reads new endings by sequence number at most once every {@link #SYNC_INTERVAL}, from the request
 * path ({@link RowsBySequence}), so that asking about a session stays a map look-up and the database sees one
 * indexed query a second at most. A session (or a half-finished sign-in) that began before its account's latest ending is over.
 */
@Component
public class AccountEndings {

    public static final Duration SYNC_INTERVAL = RowsBySequence.INTERVAL;

    /** The latest ending of an account, and why. */
    private record Ending(Instant at, String reason) {
    }

    private final Map<String, Ending> latest = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;
    private final SecuritySettings settings;
    private final Clock clock;
    private final RowsBySequence endings;

    public AccountEndings(JdbcTemplate jdbc, SecuritySettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.endings = new RowsBySequence(jdbc,
                "select seq, account_id, reason, ended_at from auth.account_ending where seq > ? order by seq");
    }

    /**
     * Why the account's session, or sign-in, that began at {@code since} has been ended by an administrator since;
     * null when it has not.
     */
    public String endedSince(String accountId, Instant since) {
        endings.catchUp(rs -> latest.merge(rs.getString(2), new Ending(rs.getTimestamp(4).toInstant(), rs.getString(3)),
                (a, b) -> b.at().isAfter(a.at()) ? b : a));
        Ending ending = accountId == null ? null : latest.get(accountId);
        return ending != null && since.isBefore(ending.at()) ? ending.reason() : null;
    }

    /**
     * Forgets endings older than the longest a session can last: no session they could end is still going. The
     * table is purged on the same rule (by any server; the rows are read by sequence, so a purge is never missed).
     */
    @Scheduled(fixedDelayString = "${charnwood.security.grant-cleanup-interval:10m}", initialDelayString = "1m")
    public void removeExpired() {
        Instant before = clock.instant().minus(settings.session().absolute());
        latest.values().removeIf(ending -> ending.at().isBefore(before));
        jdbc.update("delete from auth.account_ending where ended_at < ?", Timestamp.from(before));
    }
}
