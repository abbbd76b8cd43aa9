package org.charnwood.app.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Warns at start-up when the database would acknowledge a commit before it is on disk. What the platform promises
 * once it has answered rests on a commit being durable: a change with its outbox row and audit record, and a read's
 * audit record, committed before the response leaves. A server with {@code fsync} or {@code synchronous_commit} off
 * still works, so this does not stop the application; it makes the lost promise visible to whoever runs it.
 */
@Component
class DurabilityCheck {

    private static final Logger log = LoggerFactory.getLogger(DurabilityCheck.class);

    private final JdbcTemplate jdbc;

    DurabilityCheck(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnWhenCommitsAreNotDurable() {
        List<String> unsafe = unsafeSettings(jdbc.queryForObject("show fsync", String.class),
                jdbc.queryForObject("show synchronous_commit", String.class));
        if (!unsafe.isEmpty()) {
            log.warn("The database acknowledges commits before they are on disk ({}): a crash can lose changes and "
                    + "audit records that were already answered for. Turn the setting on.", String.join(", ", unsafe));
        }
    }

    /**
     * The settings, of those given, that let a commit be acknowledged before its write-ahead log is flushed. Every
     * {@code synchronous_commit} level but {@code off} waits at least for the local flush.
     */
    static List<String> unsafeSettings(String fsync, String synchronousCommit) {
        List<String> unsafe = new ArrayList<>();
        if (!"on".equalsIgnoreCase(fsync)) {
            unsafe.add("fsync=" + fsync);
        }
        if ("off".equalsIgnoreCase(synchronousCommit)) {
            unsafe.add("synchronous_commit=" + synchronousCommit);
        }
        return unsafe;
    }
}
