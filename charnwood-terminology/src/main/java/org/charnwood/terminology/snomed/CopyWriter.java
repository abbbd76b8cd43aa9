package org.charnwood.terminology.snomed;

import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Streams rows into one table with PostgreSQL COPY (text format), buffering them so that each round trip carries
 * many rows. Values are escaped as COPY text requires; the caller separates columns with {@link #next()}.
 */
final class CopyWriter implements AutoCloseable {

    private static final int FLUSH_AT = 1 << 18;

    private final CopyIn copy;
    private final StringBuilder row = new StringBuilder(FLUSH_AT + 4096);
    private boolean first = true;
    private long rows;

    CopyWriter(CopyManager manager, String table, String columns) throws SQLException {
        this.copy = manager.copyIn("copy " + table + " (" + columns + ") from stdin");
    }

    CopyWriter add(long value) {
        separate();
        row.append(value);
        return this;
    }

    CopyWriter add(int value) {
        separate();
        row.append(value);
        return this;
    }

    CopyWriter add(boolean value) {
        separate();
        row.append(value ? 't' : 'f');
        return this;
    }

    /** A text value or null. */
    CopyWriter add(String value) {
        separate();
        if (value == null) {
            row.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> row.append("\\\\");
                case '\t' -> row.append("\\t");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                default -> row.append(c);
            }
        }
        return this;
    }

    CopyWriter addNull() {
        separate();
        row.append("\\N");
        return this;
    }

    private void separate() {
        if (!first) {
            row.append('\t');
        }
        first = false;
    }

    /** Ends the current row. */
    void next() throws SQLException {
        row.append('\n');
        first = true;
        rows++;
        if (row.length() >= FLUSH_AT) {
            flush();
        }
    }

    private void flush() throws SQLException {
        byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        row.setLength(0);
    }

    long rows() {
        return rows;
    }

    /** Sends the last rows and ends the COPY. */
    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
