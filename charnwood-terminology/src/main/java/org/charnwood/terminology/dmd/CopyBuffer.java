package org.charnwood.terminology.dmd;

import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.SQLException;

/**
 * Rows for one table, sent with PostgreSQL's COPY in chunks: an order of magnitude faster than batched INSERTs
 * for the half a million rows of a full release, with memory bounded by the chunk size.
 */
final class CopyBuffer {

    private static final int CHUNK_CHARS = 4 << 20;

    private final String table;
    private final String sql;
    private final int releaseId;
    private final StringBuilder rows = new StringBuilder();
    private long count;

    CopyBuffer(String table, int releaseId, String... columns) {
        this.table = table;
        this.releaseId = releaseId;
        this.sql = "copy dmd." + table + " (release_id, " + String.join(", ", columns) + ") from stdin";
    }

    String table() {
        return table;
    }

    long count() {
        return count;
    }

    void add(CopyManager copy, Object... values) throws SQLException {
        rows.append(releaseId);
        for (Object value : values) {
            rows.append('\t');
            if (value == null) {
                rows.append("\\N");
            } else if (value instanceof Boolean b) {
                rows.append(b ? 't' : 'f');
            } else {
                escape(value.toString());
            }
        }
        rows.append('\n');
        count++;
        if (rows.length() >= CHUNK_CHARS) {
            flush(copy);
        }
    }

    void flush(CopyManager copy) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try {
            copy.copyIn(sql, new StringReader(rows.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.setLength(0);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
    }
}
