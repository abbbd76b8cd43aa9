package org.charnwood.fhir.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows for one table, gathered in PostgreSQL's text {@code COPY} format and sent with {@code COPY ... FROM STDIN}
 * on the caller's connection, so they join the caller's transaction. A bulk load writes thousands of new rows a
 * transaction; {@code COPY} skips the per-statement parse, plan and executor work of an {@code INSERT} and lets
 * the server add heap rows in batches. Values are given as text and read by each column type's own input
 * function, exactly as a cast from text would read them.
 */
public final class CopyRows {

    private final String table;
    private final String columns;
    private final StringBuilder text = new StringBuilder(1 << 16);
    private int rows;
    private int valuesInRow;

    /**
     * @param table   the table to copy into
     * @param columns its columns, comma-separated, in the order each row gives its values
     */
    public CopyRows(String table, String columns) {
        this.table = table;
        this.columns = columns;
    }

    /** Starts a new row; its values follow with {@link #value}. */
    public CopyRows row() {
        if (rows > 0) {
            text.append('\n');
        }
        rows++;
        valuesInRow = 0;
        return this;
    }

    /** The next value of the current row; null is SQL NULL. NUL characters are dropped: text cannot hold them. */
    public CopyRows value(Object value) {
        if (valuesInRow++ > 0) {
            text.append('\t');
        }
        if (value == null) {
            text.append("\\N");
            return this;
        }
        String s = value.toString();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\0' -> { }
                default -> text.append(ch);
            }
        }
        return this;
    }

    public int size() {
        return rows;
    }

    /** Sends the rows gathered so far; nothing is sent when there are none. */
    public void copy(Connection c) throws SQLException {
        if (rows == 0) {
            return;
        }
        text.append('\n');
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy " + table + " (" + columns + ") from stdin");
        try {
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
