package org.charnwood.fhir.search;

import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.compartment.PatientCompartment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders an {@link AccessScope} as a boolean SQL condition on a {@code fhir_resource} row, so the searches,
 * includes, {@code $everything} and history of the repository leave invisible resources out in the database:
 * totals and pages never see them. Compartment membership is read from the reference index (the R4 Patient
 * compartment parameters, under the codes that really hold their rows); security labels from the
 * resource row's copy of them ({@link SecurityLabels}).
 */
public final class AccessFilter {

    /** Up to this many patients, their compartments are gathered once per statement rather than probed per row. */
    static final int SMALL_CASELOAD = 200;

    private final SearchQueryParser parser;
    private final Clock clock;
    private final String[] memberTypes;
    private final String[] memberParams;
    private final String[] compartmentTypes;
    private final Set<String> compartmentTypeSet;
    private final Set<String> memberPairs;

    /**
     * @param registry the search parameters in force; null when only scopes without type filters will be
     *                 rendered (compartment parameters are then taken as written in the R4 definitions)
     */
    public AccessFilter(SearchParameterRegistry registry, ServerBase serverBase, Clock clock) {
        this.parser = registry == null ? null : new SearchQueryParser(registry, serverBase, 1000, 1000);
        this.clock = clock;
        List<String> types = new ArrayList<>();
        List<String> params = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, List<String>> e : PatientCompartment.get().membership().entrySet()) {
            for (String p : e.getValue()) {
                List<String> stored = registry == null ? List.of(p) : registry.find(e.getKey(), p)
                        .map(d -> d.derivation() == null ? List.of(p) : d.derivation().params())
                        .orElse(List.of(p));
                for (String s : stored) {
                    if (seen.add(e.getKey() + "|" + s)) {
                        types.add(e.getKey());
                        params.add(s);
                    }
                }
            }
        }
        this.memberTypes = types.toArray(String[]::new);
        this.memberParams = params.toArray(String[]::new);
        this.compartmentTypes = PatientCompartment.get().membership().keySet().toArray(String[]::new);
        this.compartmentTypeSet = Set.of(compartmentTypes);
        this.memberPairs = Set.copyOf(seen);
    }

    /** A filter for scopes without type filters. */
    public static AccessFilter withoutTypeFilters() {
        return new AccessFilter(null, null, Clock.systemUTC());
    }

    /** SQL text and its bind values, for callers outside this package that build their own statements. */
    public record Fragment(String sql, List<Object> binds) {

        /** Binds the fragment's values from parameter index {@code first}; returns the next free index. */
        public int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
            return Sql.bindAll(c, ps, binds, first);
        }
    }

    /** The condition for the resource row aliased {@code resource}; {@code true} for an unrestricted scope. */
    public Fragment fragment(AccessScope scope, String resource) {
        Sql sql = new Sql();
        appendTo(sql, scope, resource);
        return new Fragment(sql.text(), List.copyOf(sql.binds()));
    }

    void appendTo(Sql sql, AccessScope scope, String r) {
        appendTo(sql, scope, r, null, null);
    }

    /**
     * The condition for rows that are all of {@code type} (null: of any type) and, when {@code where} is given,
     * all meet it. Knowing the type, the parts of the condition that cannot apply to it are left out when the
     * statement is written rather than tested on every row (a Patient search by a member of staff, to whom
     * demographics are open, needs no compartment test at all); and a search whose own condition already
     * confines every match to the compartment of patients in the scope ({@code Observation?subject=Patient/x}
     * with x among them) needs no compartment test either: its index probe is the check. Labels and search
     * restrictions are always applied.
     */
    void appendTo(Sql sql, AccessScope scope, String r, String type, Criterion where) {
        if (scope == null || scope.unrestricted()) {
            sql.add("true");
            return;
        }
        sql.add("(true");
        if (scope.types() != null) {
            if (type == null) {
                sql.add(" and " + r + ".res_type = any(").bind(texts(scope.types())).add(")");
            } else if (!scope.types().contains(type)) {
                sql.add(" and false");
            }
        }
        if (scope.patients() != null) {
            if (type == null) {
                appendCompartments(sql, scope, r, true, true, true);
            } else if (compartmentTypeSet.contains(type) && !scope.openTypes().contains(type)
                    && !confinedTo(type, where, scope.patients())) {
                appendCompartments(sql, scope, r, false, "Patient".equals(type),
                        scope.unattachedTypes().contains(type));
            }
        }
        if (!scope.hiddenLabels().isEmpty()) {
            // The row's own copy of its labels (SecurityLabels): a column test, which adds next to nothing to the
            // planning of the statement, where a join to the _security token rows added about a third.
            sql.add(" and (" + r + ".security is null or not " + r + ".security && ")
                    .bind(new Sql.TextArray(SecurityLabels.hidden(scope.hiddenLabels()))).add("::text[])");
        }
        for (Map.Entry<String, List<String>> filter : scope.typeFilters().entrySet()) {
            if (type != null && !type.equals(filter.getKey())) {
                continue;
            }
            sql.add(" and (");
            sql.add(type == null ? r + ".res_type <> " : "false");
            if (type == null) {
                sql.literal(filter.getKey());
            }
            for (String query : filter.getValue()) {
                sql.add(" or (");
                criterion(filter.getKey(), query).appendTo(sql, r);
                sql.add(")");
            }
            sql.add(")");
        }
        sql.add(")");
    }

    /**
     * Whether, for rows of {@code type} meeting {@code where}, the scope's test is on security labels alone: no
     * compartment test (the type is open, outside compartments, or {@code where} confines it to the scope's
     * patients) and no search restriction. Such a test hides few matches (labelled records are the exception),
     * so a search may take its page first and test only the page's rows, falling back when one is hidden.
     */
    boolean testsLabelsOnly(AccessScope scope, String type, Criterion where) {
        if (scope == null || scope.unrestricted()) {
            return true;
        }
        if (type == null || (scope.types() != null && !scope.types().contains(type))
                || scope.typeFilters().containsKey(type)) {
            return false;
        }
        return scope.patients() == null || !compartmentTypeSet.contains(type) || scope.openTypes().contains(type)
                || confinedTo(type, where, scope.patients());
    }

    /**
     * The label test of {@link #testsLabelsOnly} written for index rows aliased {@code x} rather than for the
     * resource row: the resource has no {@code _security} token row that the scope hides ({@code true} when it
     * hides none). The token rows hold the same codings as the row's {@code security} column, by the rule of
     * {@link SecurityLabels}. Used by counts, which would otherwise visit the resource row of every match.
     */
    void appendLabelTestOnIndexRows(Sql sql, AccessScope scope, String x) {
        if (scope == null || scope.hiddenLabels().isEmpty()) {
            sql.add("true");
            return;
        }
        String l = sql.alias("lab");
        sql.add("not exists (select 1 from idx_token " + l + " where " + l + ".res_pk = " + x + ".res_pk and " + l
                        + ".param = '_security' and " + l + ".code is not null and "
                        + SecurityLabels.entriesOfTokenRow(l) + " && ")
                .bind(new Sql.TextArray(SecurityLabels.hidden(scope.hiddenLabels()))).add("::text[])");
    }

    /**
     * {@code and (...)}: the row is in the compartment of one of the scope's patients, or (as asked) of a type
     * outside compartments or open, the patient themselves, or an unattached resource of a type that may be.
     */
    private void appendCompartments(Sql sql, AccessScope scope, String r, boolean typeBranches, boolean self,
                                    boolean unattached) {
        Sql.TextArray patients = texts(scope.patients());
        sql.add(" and (false");
        if (typeBranches) {
            sql.add(" or " + r + ".res_type <> all(").bind(new Sql.TextArray(compartmentTypes)).add(")");
            if (!scope.openTypes().isEmpty()) {
                sql.add(" or " + r + ".res_type = any(").bind(texts(scope.openTypes())).add(")");
            }
        }
        if (self) {
            sql.add(" or (" + r + ".res_type = 'Patient' and " + r + ".res_id = any(").bind(patients).add("))");
        }
        String a = sql.alias("acc");
        String pairs = "(" + a + ".res_type, " + a + ".param) in (select * from unnest(";
        if (scope.patients().size() <= SMALL_CASELOAD) {
            // Few patients: their compartments are collected once (from the target index) into a hashed
            // set, so scanning many rows of a type costs one probe each, not one index lookup each.
            sql.add(" or " + r + ".res_pk in (select " + a + ".res_pk from idx_reference " + a + " where "
                            + a + ".target_type = 'Patient' and " + a + ".target_id = any(").bind(patients)
                    .add(") and " + pairs).bind(new Sql.TextArray(memberTypes)).add("::text[], ")
                    .bind(new Sql.TextArray(memberParams)).add("::text[])))");
        } else {
            // A large caseload would make that set large: look at each row's own references instead.
            sql.add(" or exists (select 1 from idx_reference " + a + " where " + a + ".res_pk = " + r
                            + ".res_pk and " + a + ".target_type = 'Patient' and " + a + ".target_id = any(")
                    .bind(patients).add(") and " + pairs).bind(new Sql.TextArray(memberTypes))
                    .add("::text[], ").bind(new Sql.TextArray(memberParams)).add("::text[])))");
        }
        if (unattached && !scope.unattachedTypes().isEmpty()) {
            String u = sql.alias("acc");
            sql.add(" or (" + r + ".res_type = any(").bind(texts(scope.unattachedTypes()))
                    .add(") and not exists (select 1 from idx_reference " + u + " where " + u + ".res_pk = "
                            + r + ".res_pk and " + u + ".target_type = 'Patient' and (" + u + ".res_type, "
                            + u + ".param) in (select * from unnest(").bind(new Sql.TextArray(memberTypes))
                    .add("::text[], ").bind(new Sql.TextArray(memberParams)).add("::text[]))))");
        }
        sql.add(")");
    }

    /**
     * Whether {@code where} makes every match of {@code type} belong to the compartment of one of
     * {@code patients}: one of its conditions selects references to patients among them through parameters
     * that are all compartment links of the type.
     */
    private boolean confinedTo(String type, Criterion where, Set<String> patients) {
        if (where == null) {
            return false;
        }
        List<Criterion> conditions = where instanceof Criterion.AllOf all ? all.conditions() : List.of(where);
        for (Criterion c : conditions) {
            if (c instanceof Criterion.IndexMatch m && !m.negated() && m.patients() != null
                    && !m.patients().isEmpty() && "idx_reference".equals(m.table()) && type.equals(m.resourceType())
                    && m.rows().params().stream().allMatch(p -> memberPairs.contains(type + "|" + p))
                    && patients.containsAll(m.patients())) {
                return true;
            }
        }
        return false;
    }

    private Criterion criterion(String type, String query) {
        if (parser == null) {
            throw new IllegalStateException("this access filter cannot render search restrictions");
        }
        Map<String, List<String>> params = QueryStrings.parse(query);
        if (params.isEmpty()) {
            return new Criterion.AllOf(List.of());
        }
        return parser.parse(new SearchRequest(type, params, false), clock.instant()).where();
    }

    private static Sql.TextArray texts(Set<String> values) {
        return new Sql.TextArray(values.toArray(String[]::new));
    }
}
