package org.charnwood.fhir.search;

import java.util.Map;

/**
 * One key of {@code _sort}. A parameter with several values sorts by its lowest value ascending and
 * by its highest descending, as the R4 search page asks; resources without a value come last.
 *
 * @param code       the parameter code, {@code _id} or {@code _lastUpdated}
 * @param definition the parameter, null for {@code _id} and {@code _lastUpdated}; in a search across several
 *                   types, its definition for the first of them (all are of its kind)
 * @param rowsByType in a search across several types whose definitions store their rows under different codes,
 *                   where each type's rows are; null when they are all where {@code definition}'s are
 */
record SortKey(String code, SearchParameterDefinition definition, boolean descending,
               Map<String, StoredRows> rowsByType) {

    SortKey(String code, SearchParameterDefinition definition, boolean descending) {
        this(code, definition, descending, null);
    }

    /** The SQL expression to order the resource row {@code resource} by. */
    String expression(String resource) {
        if (definition == null) {
            return code.equals("_id") ? resource + ".res_id" : resource + ".last_updated";
        }
        if (rowsByType == null) {
            return value(resource, StoredRows.of(definition));
        }
        // Resource types are registry names (letters only), safe to write into the statement.
        StringBuilder byType = new StringBuilder("case " + resource + ".res_type");
        rowsByType.forEach((type, rows) -> byType.append(" when '").append(type).append("' then ")
                .append(value(resource, rows)));
        return byType.append(" end").toString();
    }

    /** The lowest (ascending) or highest (descending) of the resource's values among the index rows {@code stored}. */
    private String value(String resource, StoredRows stored) {
        String agg = descending ? "max" : "min";
        String table = IndexTable.of(definition.type());
        String column = switch (definition.type()) {
            case STRING -> "value_norm";
            case TOKEN -> "code";
            case DATE -> descending ? "hi" : "lo";
            case NUMBER, QUANTITY -> "value";
            case REFERENCE -> "coalesce(s.target_type || '/' || s.target_id, s.target_url)";
            case URI -> "uri";
            default -> throw new IllegalStateException("cannot sort on " + definition.type());
        };
        if (!column.contains("(")) {
            column = "s." + column;
        }
        Sql rows = new Sql();
        stored.appendTo(rows, "s");
        return "(select " + agg + "(" + column + ") from " + table + " s where s.res_pk = " + resource
                + ".res_pk and " + rows.text() + ")";
    }

    /** The SQL type of {@link #expression}, to read a paging token's value of this key back as. */
    String sqlType() {
        if (definition == null) {
            return code.equals("_id") ? "text" : "timestamptz";
        }
        return switch (definition.type()) {
            case DATE -> "timestamptz";
            case NUMBER, QUANTITY -> "numeric";
            default -> "text";
        };
    }

    static boolean sortable(SearchParamType type) {
        return type != SearchParamType.COMPOSITE && type != SearchParamType.SPECIAL;
    }
}
