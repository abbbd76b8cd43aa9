package org.charnwood.fhir.search;

import java.util.List;

/**
 * Where the index rows of a parameter are: under its own code, or — for a parameter whose values
 * are exactly those of other parameters ({@link SearchParameterDefinition.Derivation}) — under
 * theirs, optionally only the references to one target type.
 *
 * @param params     the codes the rows are stored under
 * @param targetType for reference rows, only those pointing at this type; null for all
 */
record StoredRows(List<String> params, String targetType) {

    static StoredRows of(SearchParameterDefinition def) {
        SearchParameterDefinition.Derivation d = def.derivation();
        return d == null ? new StoredRows(List.of(def.code()), null) : new StoredRows(d.params(), d.targetType());
    }

    /** {@code <alias>.param = 'a'} (or {@code in (...)}), plus the target type restriction. */
    void appendTo(Sql sql, String alias) {
        if (params.size() == 1) {
            sql.add(alias + ".param = ").literal(params.get(0));
        } else {
            sql.add(alias + ".param in (");
            for (int i = 0; i < params.size(); i++) {
                sql.add(i == 0 ? "" : ", ").literal(params.get(i));
            }
            sql.add(")");
        }
        if (targetType != null) {
            sql.add(" and " + alias + ".target_type = ").literal(targetType);
        }
    }
}
