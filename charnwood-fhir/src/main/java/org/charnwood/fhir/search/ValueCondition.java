package org.charnwood.fhir.search;

/**
 * A condition on one index row for one search value (for example {@code code = ? and system = ?}).
 * It names the columns it compares by their index-table names; {@link Columns} says where those
 * live, so the same condition serves an index table, a component inside a composite row's JSON, or
 * the columns of {@code fhir_resource}.
 */
@FunctionalInterface
interface ValueCondition {

    void appendTo(Sql sql, Columns columns);

    /** Maps an index-table column name to the SQL expression holding it. */
    @FunctionalInterface
    interface Columns {
        String get(String column);

        /** The columns of an index table row under an alias. */
        static Columns of(String alias) {
            return column -> alias + "." + column;
        }
    }

    /** Matches nothing: a value that can never be found (for example a reference of the wrong type). */
    ValueCondition NOTHING = (sql, columns) -> sql.add("false");
}
