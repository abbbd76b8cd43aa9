package org.charnwood.fhir.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserts rows several to a statement ({@code values (...), (...), ...}) instead of one statement per row in a JDBC
 * batch: PostgreSQL then starts its executor once per statement rather than once per row, which for a transaction
 * bundle of thousands of entries was most of what a version row cost. Rows go in chunks of 64, 16, 4 and 1, so only
 * four statement texts exist per table and the driver's prepared statements are reused; the chunks of each size go
 * in one round trip, so a call costs at most four.
 */
final class MultiRowInsert<T> {

    private static final int[] CHUNKS = {64, 16, 4, 1};

    /** Binds one row's values from parameter index {@code first}. */
    interface Binder<T> {
        void bind(PreparedStatement ps, int first, T row) throws SQLException;
    }

    private final String[] statements = new String[CHUNKS.length];
    private final int columns;
    private final Binder<T> binder;

    /** {@code head} is the statement up to {@code values}, for example {@code insert into t (a, b)}. */
    MultiRowInsert(String head, int columns, Binder<T> binder) {
        this.columns = columns;
        this.binder = binder;
        String row = "(" + "?, ".repeat(columns - 1) + "?)";
        for (int i = 0; i < CHUNKS.length; i++) {
            StringBuilder sql = new StringBuilder(head).append(" values ");
            for (int r = 0; r < CHUNKS[i]; r++) {
                sql.append(r == 0 ? "" : ", ").append(row);
            }
            statements[i] = sql.toString();
        }
    }

    void insert(Connection c, List<T> rows) throws SQLException {
        int at = 0;
        for (int i = 0; i < CHUNKS.length && at < rows.size(); i++) {
            int size = CHUNKS[i];
            if (rows.size() - at < size) {
                continue;
            }
            // The chunks of one size go as one JDBC batch: one round trip, however many there are.
            try (PreparedStatement ps = c.prepareStatement(statements[i])) {
                while (rows.size() - at >= size) {
                    for (int r = 0; r < size; r++) {
                        binder.bind(ps, 1 + r * columns, rows.get(at + r));
                    }
                    ps.addBatch();
                    at += size;
                }
                ps.executeBatch();
            }
        }
    }
}
