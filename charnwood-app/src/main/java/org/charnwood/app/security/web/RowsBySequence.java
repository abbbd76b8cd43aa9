package org.charnwood.app.security.web;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import java.time.Duration;

/**
 * New rows of a table that several servers append to and each server follows in its own memory (revoked access
 * tokens, accounts whose sessions were ended), read by their sequence number at most once every {@link #INTERVAL}
 * from the request path. The question a request asks stays a map look-up, and the database sees one indexed
 * query a second at most however busy the server is. Rows are never missed: each read asks for those after the
 * highest sequence number seen, so a purge of old rows, or rows written at another server, changes nothing.
 */
public final class RowsBySequence {

    /** How long a row written at one server may go unseen at another. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final JdbcTemplate jdbc;
    private final String select;
    private long lastSeq;
    private volatile long nextReadNanos = System.nanoTime();

    /**
     * @param select the rows after a sequence number ({@code ?}), in sequence order, the number first
     */
    public RowsBySequence(JdbcTemplate jdbc, String select) {
        this.jdbc = jdbc;
        this.select = select;
    }

    /** Hands each row added since the last read to {@code row}, when {@link #INTERVAL} has passed since then. */
    public void catchUp(RowCallbackHandler row) {
        long now = System.nanoTime();
        if (now - nextReadNanos >= 0) {
            read(now, row);
        }
    }

    private synchronized void read(long now, RowCallbackHandler row) {
        if (now - nextReadNanos < 0) {
            return;
        }
        jdbc.query(select, rs -> {
            lastSeq = Math.max(lastSeq, rs.getLong(1));
            row.processRow(rs);
        }, lastSeq);
        nextReadNanos = now + INTERVAL.toNanos();
    }
}
