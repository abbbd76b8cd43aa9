package org.charnwood.fhir.search;

import java.util.List;
import java.util.function.Function;

/**
 * One condition of a search (one parameter occurrence, its comma alternatives ORed), rendered as a
 * boolean SQL expression on a {@code fhir_resource} row. Conditions on index tables are semi-joins
 * ({@code res_pk in (select ...)}) that PostgreSQL can drive from whichever index is most selective.
 */
interface Criterion {

    /** Appends the condition for the resource row aliased {@code resource}. */
    void appendTo(Sql sql, String resource);

    /**
     * Whether the condition reads columns of {@code fhir_resource} other than {@code res_pk}; when
     * none does, the condition can be applied to the keys of an index table directly.
     */
    default boolean needsResourceRow() {
        return false;
    }

    /**
     * Rows of an index table for the parameter with any of the values; negated for {@code :not}.
     * {@code patients}: for a reference parameter whose every value is a local {@code Patient/id}, those ids
     * (a match then refers to one of them through this parameter); null otherwise.
     */
    record IndexMatch(String table, String resourceType, StoredRows rows, List<ValueCondition> anyOf,
                      boolean negated, List<String> patients) implements Criterion {

        IndexMatch(String table, String resourceType, StoredRows rows, List<ValueCondition> anyOf, boolean negated) {
            this(table, resourceType, rows, anyOf, negated, null);
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            String x = sql.alias("x");
            if (negated) {
                sql.add("not exists (select 1 from " + table + " " + x + " where " + x + ".res_pk = " + resource
                        + ".res_pk and ");
            } else {
                sql.add(resource + ".res_pk in (select " + x + ".res_pk from " + table + " " + x + " where ");
                if (resourceType != null) {
                    sql.add(x + ".res_type = ").literal(resourceType).add(" and ");
                }
            }
            rows.appendTo(sql, x);
            appendAnyOf(sql, anyOf, ValueCondition.Columns.of(x));
            sql.add(")");
        }

        /** Whether it selects rows of a known type (not negated): its keys are then all of that type. */
        boolean drivesSearch() {
            return !negated && resourceType != null;
        }

        /** {@code from <table> <alias> where <this condition>}: the matching index rows themselves. */
        void appendRows(Sql sql, String alias) {
            sql.add(" from " + table + " " + alias + " where " + alias + ".res_type = ").literal(resourceType)
                    .add(" and ");
            rows.appendTo(sql, alias);
            appendAnyOf(sql, anyOf, ValueCondition.Columns.of(alias));
        }
    }

    /**
     * {@code :missing}: whether the resource has any index row for the parameter. {@code alsoIn}: a second table
     * that holds values of the parameter too, or null; a reference parameter keeps the identifier of a Reference
     * that has one among the tokens, and a Reference holding only an identifier is present all the same.
     */
    record Missing(String table, StoredRows rows, boolean missing, String alsoIn) implements Criterion {

        Missing(String table, StoredRows rows, boolean missing) {
            this(table, rows, missing, null);
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            sql.add(missing ? "not (" : "(");
            present(sql, resource, table);
            if (alsoIn != null) {
                sql.add(" or ");
                present(sql, resource, alsoIn);
            }
            sql.add(")");
        }

        private void present(Sql sql, String resource, String in) {
            String x = sql.alias("x");
            sql.add("exists (select 1 from " + in + " " + x + " where " + x + ".res_pk = " + resource
                    + ".res_pk and ");
            rows.appendTo(sql, x);
            sql.add(")");
        }
    }

    /** A condition on the columns of {@code fhir_resource} itself ({@code _id}, {@code _lastUpdated}). */
    record ResourceColumns(Function<String, ValueCondition.Columns> columns, List<ValueCondition> anyOf)
            implements Criterion {
        @Override
        public boolean needsResourceRow() {
            return true;
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            sql.add("true");
            appendAnyOf(sql, anyOf, columns.apply(resource));
        }
    }

    /** {@code _id}: the resource's logical id is one of the values; with {@code :not} ({@code negated}), none of them. */
    record Ids(List<String> ids, boolean negated) implements Criterion {
        @Override
        public boolean needsResourceRow() {
            return true;
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            if (ids.size() == 1) {
                sql.add(resource + ".res_id " + (negated ? "<>" : "=") + " ").bind(ids.get(0));
            } else {
                sql.add((negated ? "not " : "") + resource + ".res_id = any(")
                        .bind(new Sql.TextArray(ids.toArray(String[]::new))).add(")");
            }
        }
    }

    /** {@code _type}: the resource is of one of the types. */
    record Types(List<String> types) implements Criterion {
        @Override
        public boolean needsResourceRow() {
            return true;
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            sql.add(resource + ".res_type = any(").bind(new Sql.TextArray(types.toArray(String[]::new))).add(")");
        }
    }

    /**
     * A chained parameter ({@code subject:Patient.name=smith}): the reference points at a current
     * resource of one of the target types that meets the inner condition on that type.
     */
    record Chain(String resourceType, StoredRows rows, List<Target> targets) implements Criterion {
        /**
         * One target type and the condition its resources must meet. {@code canonical}: the type can be named by
         * canonical URL ({@link CanonicalTarget}), and references holding a URL are followed to it too; null when not.
         */
        record Target(String type, Criterion condition, CanonicalTarget canonical) {
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            String x = sql.alias("x");
            sql.add(resource + ".res_pk in (select " + x + ".res_pk from idx_reference " + x + " where ");
            if (resourceType != null) {
                sql.add(x + ".res_type = ").literal(resourceType).add(" and ");
            }
            rows.appendTo(sql, x);
            sql.add(" and (");
            for (int i = 0; i < targets.size(); i++) {
                Target target = targets.get(i);
                String t = sql.alias("t");
                sql.add(i == 0 ? "" : " or ").add("(" + x + ".target_type = ").literal(target.type())
                        .add(" and " + x + ".target_id in (select " + t + ".res_id from fhir_resource " + t + " where "
                                + t + ".res_type = ").literal(target.type())
                        .add(" and not " + t + ".deleted").andVisible(t).add(" and ");
                target.condition().appendTo(sql, t);
                sql.add("))");
                if (target.canonical() != null) {
                    appendCanonical(sql, x, target);
                }
            }
            sql.add("))");
        }

        /** {@code or <the reference's URL names a current resource of the type that meets the condition>}. */
        private static void appendCanonical(Sql sql, String x, Target target) {
            String u = sql.alias("u");
            String t = sql.alias("t");
            List<CanonicalTarget> only = List.of(target.canonical());
            sql.add(" or (");
            CanonicalTarget.appendByUrl(sql, x);
            sql.add(" and exists (select 1 from idx_uri " + u + " join fhir_resource " + t + " on " + t + ".res_pk = "
                    + u + ".res_pk where ");
            CanonicalTarget.appendUrlRow(sql, only, u, x);
            CanonicalTarget.appendVersion(sql, only, x, u + ".res_pk");
            sql.add(" and not " + t + ".deleted").andVisible(t).add(" and ");
            target.condition().appendTo(sql, t);
            sql.add("))");
        }
    }

    /**
     * Reverse chaining ({@code _has:Observation:patient:code=1234}): some current resource of
     * {@code sourceType} refers to this one through {@code param} and meets the inner condition.
     */
    record Has(String resourceType, String sourceType, StoredRows rows, Criterion condition, CanonicalTarget canonical)
            implements Criterion {

        Has(String resourceType, String sourceType, StoredRows rows, Criterion condition) {
            this(resourceType, sourceType, rows, condition, null);
        }

        @Override
        public boolean needsResourceRow() {
            return true;
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            String x = sql.alias("x");
            String s = sql.alias("s");
            sql.add(canonical == null ? "" : "(").add(resource + ".res_id in (select " + x + ".target_id from idx_reference "
                    + x + " join fhir_resource " + s + " on " + s + ".res_pk = " + x + ".res_pk where " + x + ".res_type = ")
                    .literal(sourceType).add(" and ");
            rows.appendTo(sql, x);
            sql.add(" and " + x + ".target_type = ").literal(resourceType)
                    .add(" and not " + s + ".deleted").andVisible(s).add(" and ");
            condition.appendTo(sql, s);
            sql.add(")");
            if (canonical != null) {
                appendCanonical(sql, resource);
                sql.add(")");
            }
        }

        /** {@code or <a resource of the source type names this one by its url (and version) and meets the condition>}. */
        private void appendCanonical(Sql sql, String resource) {
            String u = sql.alias("u");
            String v = sql.alias("v");
            String x = sql.alias("x");
            String s = sql.alias("s");
            sql.add(" or exists (select 1 from idx_uri " + u + " cross join lateral (select " + u + ".uri as url"
                    + " union all select " + u + ".uri || '|' || " + v + ".code from idx_token " + v + " where " + v
                    + ".res_pk = " + u + ".res_pk and " + v + ".code is not null and ");
            canonical.version().appendTo(sql, v);
            sql.add(") c join idx_reference " + x + " on " + x + ".target_url = c.url and " + x
                    + ".target_id is null join fhir_resource " + s + " on " + s + ".res_pk = " + x + ".res_pk where "
                    + u + ".res_pk = " + resource + ".res_pk and ");
            canonical.url().appendTo(sql, u);
            sql.add(" and " + x + ".res_type = ").literal(sourceType).add(" and ");
            new StoredRows(rows.params(), null).appendTo(sql, x);
            sql.add(" and not " + s + ".deleted").andVisible(s).add(" and ");
            condition.appendTo(sql, s);
            sql.add(")");
        }
    }

    /** A condition for resources of one type, the type tested with it. */
    record OfType(String type, Criterion condition) {
    }

    /**
     * A parameter of a search across several types: a resource matches when it is of one of the types and meets
     * that type's condition (each type's own definition of the parameter). None matches when there are no types.
     */
    record AnyType(List<OfType> branches) implements Criterion {
        @Override
        public boolean needsResourceRow() {
            return true;
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            if (branches.isEmpty()) {
                sql.add("false");
                return;
            }
            sql.add("(");
            for (int i = 0; i < branches.size(); i++) {
                // The type is tested as well: a negated or :missing condition does not imply it.
                sql.add(i == 0 ? "(" : " or (").add(resource + ".res_type = ").literal(branches.get(i).type())
                        .add(" and ");
                branches.get(i).condition().appendTo(sql, resource);
                sql.add(")");
            }
            sql.add(")");
        }
    }

    /** Holds for every resource, or for none ({@code _id:missing}: every resource has an id). */
    record Constant(boolean value) implements Criterion {
        @Override
        public void appendTo(Sql sql, String resource) {
            sql.add(value ? "true" : "false");
        }
    }

    /** Conditions that must all hold. */
    record AllOf(List<Criterion> conditions) implements Criterion {
        @Override
        public boolean needsResourceRow() {
            return conditions.stream().anyMatch(Criterion::needsResourceRow);
        }

        @Override
        public void appendTo(Sql sql, String resource) {
            if (conditions.isEmpty()) {
                sql.add("true");
                return;
            }
            for (int i = 0; i < conditions.size(); i++) {
                sql.add(i == 0 ? "" : " and ");
                conditions.get(i).appendTo(sql, resource);
            }
        }
    }

    private static void appendAnyOf(Sql sql, List<ValueCondition> anyOf, ValueCondition.Columns columns) {
        if (anyOf.isEmpty()) {
            return;
        }
        sql.add(" and (");
        for (int i = 0; i < anyOf.size(); i++) {
            sql.add(i == 0 ? "(" : " or (");
            anyOf.get(i).appendTo(sql, columns);
            sql.add(")");
        }
        sql.add(")");
    }
}
