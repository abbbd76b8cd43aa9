package org.charnwood.fhir.search;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The key as {@code _sort} writes it: the code, after a {@code -} when descending. */
    String written() {
        return (descending ? "-" : "") + code;
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
            // A Range's row holds its ends in lo and hi and one of them in value (IndexValues); a single number's or
            // quantity's lo and hi are only its precision. So a Range sorts by its low end ascending and its high end
            // descending, as a Period does, and a single value by itself.
            case NUMBER, QUANTITY -> "case when s.value = s.lo or s.value = s.hi then s." + (descending ? "hi" : "lo")
                    + " else s.value end";
            case REFERENCE -> "coalesce(s.target_type || '/' || s.target_id, s.target_url)";
            case URI -> "uri";
            default -> throw new IllegalStateException("cannot sort on " + definition.type());
        };
        if (!column.contains("(") && !column.startsWith("case")) {
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

    /**
     * Whether a paging token's value of this key reads back as {@link #sqlType}: as PostgreSQL writes a
     * {@code timestamptz} ({@code 2024-03-01 09:30:00.25+00}, or an open end's {@code -infinity}/{@code infinity})
     * or a {@code numeric} ({@code -12.50}), within the types' ranges. A value cut under another {@code _sort}, or
     * edited, is refused here rather than failing the cast in the search's SQL.
     */
    boolean readsBack(String value) {
        if (value.length() > MAX_VALUE_LENGTH) {
            return false;
        }
        return switch (sqlType()) {
            case "timestamptz" -> value.equals("infinity") || value.equals("-infinity") || validTimestamp(value);
            case "numeric" -> NUMERIC.matcher(value).matches();
            default -> true;
        };
    }

    private static final int MAX_VALUE_LENGTH = 1000;
    /** Four-digit years only, so that every value is within timestamptz's range. */
    private static final Pattern TIMESTAMPTZ = Pattern.compile("(?<date>\\d{4}-\\d{2}-\\d{2})"
            + " (?<time>\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,6})?"
            + "[+-](?<hours>\\d{2})(:(?<minutes>\\d{2})(:(?<seconds>\\d{2}))?)?");
    /** Plain decimals as numeric is written, with no exponent (which could overflow the cast). */
    private static final Pattern NUMERIC = Pattern.compile("-?\\d{1,500}(\\.\\d{1,500})?|NaN|-?Infinity");

    /** Whether a value is a timestamptz as written, whose date and time exist (no 31 February, no hour 25). */
    private static boolean validTimestamp(String value) {
        Matcher m = TIMESTAMPTZ.matcher(value);
        if (!m.matches()) {
            return false;
        }
        try {
            LocalDate.parse(m.group("date"));
            LocalTime.parse(m.group("time"));
        } catch (DateTimeException e) {
            return false;
        }
        // PostgreSQL's own limit on an offset: under sixteen hours.
        return Integer.parseInt(m.group("hours")) <= 15 && below60(m.group("minutes")) && below60(m.group("seconds"));
    }

    private static boolean below60(String part) {
        return part == null || Integer.parseInt(part) < 60;
    }

    static boolean sortable(SearchParamType type) {
        return type != SearchParamType.COMPOSITE && type != SearchParamType.SPECIAL;
    }
}
