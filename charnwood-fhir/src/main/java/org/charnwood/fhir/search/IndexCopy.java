package org.charnwood.fhir.search;

import org.charnwood.fhir.store.CopyRows;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Sends gathered index rows table by table with {@code COPY}: for resources that have no rows yet, so there is
 * nothing to delete first. The values are the same text {@link IndexTableWriter} sends, read by the same column
 * input functions.
 */
final class IndexCopy {

    private IndexCopy() {
    }

    static void copy(Connection c, IndexRows rows) throws SQLException {
        for (IndexRows.Table table : rows.tables()) {
            int size = table.size();
            if (size == 0) {
                continue;
            }
            CopyRows copy = new CopyRows(table.name, String.join(", ", table.columns));
            for (int i = 0; i < size; i++) {
                copy.row();
                for (int col = 0; col < table.columns.length; col++) {
                    copy.value(table.values[col].get(i));
                }
            }
            copy.copy(c);
        }
    }
}
