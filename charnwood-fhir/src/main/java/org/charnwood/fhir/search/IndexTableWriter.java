package org.charnwood.fhir.search;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes gathered index rows in a single statement per call: data-modifying CTEs delete the old
 * rows of re-indexed resources and insert every table's new rows from arrays ({@code unnest}).
 * One round trip and one parse per batch, where row-by-row JDBC batches cost one execution per row.
 * The deletes cannot see the inserts (one snapshot), so replacing works inside one statement.
 * The same statement keeps {@code fhir_resource.security} ({@link SecurityLabels}) in step with the
 * {@code _security} rows.
 */
final class IndexTableWriter {

    /**
     * Sets the security entries of the resources in two bound arrays (keys, and entries joined by
     * {@link SecurityLabels#GROUP}); a row whose entries are unchanged is left alone, so an update that keeps
     * its labels (nearly all) writes nothing more.
     */
    static final String SET_LABELS = "update fhir_resource r set security = string_to_array(u.l, chr(29))"
            + " from unnest(?::bigint[], ?::text[]) as u(pk, l)"
            + " where r.res_pk = u.pk and r.security is distinct from string_to_array(u.l, chr(29))";

    /** What {@link #SET_LABELS} binds: the keys, and each key's entries joined (null when it has none). */
    static List<Array> labelArrays(Connection c, Collection<Long> keys, Map<Long, Set<String>> labels)
            throws SQLException {
        String[] joined = new String[keys.size()];
        int i = 0;
        for (Long key : keys) {
            joined[i++] = SecurityLabels.joined(labels.get(key));
        }
        return List.of(c.createArrayOf("bigint", keys.toArray()), c.createArrayOf("text", joined));
    }

    void write(Connection c, Collection<Long> stale, IndexRows rows) throws SQLException {
        StringBuilder sql = new StringBuilder("with ");
        List<Array> arrays = new ArrayList<>();
        int n = 0;
        // Re-indexed resources may have lost their labels, so each gets its entries (null for none); a new
        // resource's column starts null, so only the labelled ones need setting.
        Map<Long, Set<String>> labels = rows.securityLabels();
        if (!stale.isEmpty() || !labels.isEmpty()) {
            Set<Long> keys = new LinkedHashSet<>(stale);
            keys.addAll(labels.keySet());
            sql.append("s").append(n++).append(" as (").append(SET_LABELS).append(")");
            arrays.addAll(labelArrays(c, keys, labels));
        }
        if (!stale.isEmpty()) {
            Array keys = c.createArrayOf("bigint", stale.toArray());
            for (String table : IndexRows.tableNames()) {
                sql.append(n++ == 0 ? "" : ", ").append("d").append(n)
                        .append(" as (delete from ").append(table).append(" where res_pk = any(?::bigint[]))");
                arrays.add(keys);
            }
        }
        for (IndexRows.Table table : rows.tables()) {
            if (table.size() == 0) {
                continue;
            }
            sql.append(n++ == 0 ? "" : ", ").append("i").append(n).append(" as (insert into ").append(table.name)
                    .append(" (").append(String.join(", ", table.columns)).append(") select * from unnest(");
            for (int col = 0; col < table.columns.length; col++) {
                String type = table.sqlTypes[col];
                sql.append(col == 0 ? "" : ", ").append("?::").append(type).append("[]");
                arrays.add(col == 0
                        ? c.createArrayOf("bigint", table.values[col].toArray())
                        : c.createArrayOf("text", texts(table.values[col])));
            }
            sql.append("))");
        }
        if (n == 0) {
            return;
        }
        sql.append(" select 1");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < arrays.size(); i++) {
                ps.setArray(i + 1, arrays.get(i));
            }
            ps.execute();
        }
    }

    /** Column values as text; PostgreSQL refuses NUL characters in text, so they are dropped. */
    private static String[] texts(List<Object> values) {
        String[] out = new String[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            if (v != null) {
                String s = v.toString();
                out[i] = s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
            }
        }
        return out;
    }
}
