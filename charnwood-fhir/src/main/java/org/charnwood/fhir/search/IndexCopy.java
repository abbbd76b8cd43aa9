package org.charnwood.fhir.search;

import org.charnwood.fhir.store.CopyRows;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends gathered index rows table by table with {@code COPY}: for resources that have no rows yet, so there is
 * nothing to delete first. The values are the same text {@link IndexTableWriter} sends, read by the same column
 * input functions. The few labelled resources then get their {@code fhir_resource.security} entries.
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
        Map<Long, Set<String>> labels = rows.securityLabels();
        if (!labels.isEmpty()) {
            List<Array> arrays = IndexTableWriter.labelArrays(c, labels.keySet(), labels);
            try (PreparedStatement ps = c.prepareStatement(IndexTableWriter.SET_LABELS)) {
                ps.setArray(1, arrays.get(0));
                ps.setArray(2, arrays.get(1));
                ps.executeUpdate();
            }
        }
    }
}
