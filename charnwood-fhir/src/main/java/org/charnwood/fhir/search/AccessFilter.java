package org.charnwood.fhir.search;

import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.compartment.PatientCompartment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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

    /**
     * Up to this many patients, their compartments are gathered once per statement into a hashed set, rather than
     * probed per row, when the compartment test is one branch among others.
     */
    static final int SMALL_CASELOAD = 200;

    /**
     * Up to this many patients, a compartment test with no other branch is a join that PostgreSQL may start from
     * the caseload's index rows. Measured on a store of 20,000 patients (docs/performance.md, "A caseload read from
     * the index"): at 200 patients the join was quicker for every page and count measured; at 1,000 it was still
     * far quicker for counts and for types few of the caseload have, but a page of a type most of them have (vital
     * signs) came a little sooner by walking the type in key order and probing each row, and at 2,000 and more
     * that walk won those pages clearly. The limit sits between.
     */
    static final int JOINED_CASELOAD = 500;

    private final SearchQueryParser parser;
    private final SearchParameterRegistry registry;
    private final Clock clock;
    private final String[] memberTypes;
    private final String[] memberParams;
    private final String[] compartmentTypes;
    private final Set<String> compartmentTypeSet;
    private final Set<String> memberPairs;
    /** Each compartment type's own links: its types (all the same) and parameters, as bound by {@link #memberPairs}. */
    private final Map<String, String[][]> pairsByType;

    /**
     * @param registry the search parameters in force; null when only scopes without type filters will be
     *                 rendered (compartment parameters are then taken as written in the R4 definitions)
     */
    public AccessFilter(SearchParameterRegistry registry, ServerBase serverBase, Clock clock) {
        this.parser = registry == null ? null : new SearchQueryParser(registry, serverBase, 1000, 1000);
        this.registry = registry;
        this.clock = clock;
        List<String> types = new ArrayList<>();
        List<String> params = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, List<String>> e : PatientCompartment.get().membership().entrySet()) {
            for (String p : e.getValue()) {
                for (String s : stored(registry, e.getKey(), p)) {
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
        Map<String, List<String>> paramsOf = new HashMap<>();
        for (int i = 0; i < memberTypes.length; i++) {
            paramsOf.computeIfAbsent(memberTypes[i], t -> new ArrayList<>()).add(memberParams[i]);
        }
        Map<String, String[][]> byType = new HashMap<>();
        paramsOf.forEach((t, ps) -> {
            String[] ts = new String[ps.size()];
            Arrays.fill(ts, t);
            byType.put(t, new String[][] {ts, ps.toArray(String[]::new)});
        });
        this.pairsByType = Map.copyOf(byType);
    }

    /** The parameters that really hold a parameter's index rows (Condition's {@code patient}: {@code subject}). */
    private static List<String> stored(SearchParameterRegistry registry, String type, String param) {
        return registry == null ? List.of(param) : registry.find(type, param)
                .map(d -> d.derivation() == null ? List.of(param) : d.derivation().params())
                .orElse(List.of(param));
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

    /**
     * The label test on a version row aliased {@code version} rather than on the resource row: its content's
     * {@code meta.security} holds none of the labels the scope hides ({@code true} when it hides none). For an
     * export of resources as they were at an earlier instant, whose labels then may differ from the current ones
     * the resource row aliased {@code resource} holds; the current version itself is left to that row's test, so
     * only older versions have their content read.
     */
    public Fragment versionLabels(AccessScope scope, String version, String resource) {
        Sql sql = new Sql();
        if (scope == null || scope.hiddenLabels().isEmpty()) {
            sql.add("true");
        } else {
            String content = "(" + version + ".content::jsonb) -> 'meta' -> 'security'";
            sql.add("(" + version + ".version = " + resource + ".version or not exists (select 1 from"
                            + " jsonb_array_elements(coalesce(" + content + ", '[]'::jsonb)) lab"
                            + " where lab ->> 'code' is not null and array[coalesce(lab ->> 'system', '') || chr("
                            + (int) SecurityLabels.UNIT + ") || (lab ->> 'code'), chr("
                            + (int) SecurityLabels.ANY_SYSTEM + ") || (lab ->> 'code')] && ")
                    .bind(new Sql.TextArray(SecurityLabels.hidden(scope.hiddenLabels()))).add("::text[]))");
        }
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
        appendTo(sql, scope, r, type, where, true);
    }

    private void appendTo(Sql sql, AccessScope scope, String r, String type, Criterion where, boolean binaries) {
        if (scope != null && type != null) {
            scope = scope.forType(type);
        }
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
                appendCompartments(sql, scope, r, null, true, true, true);
            } else if (compartmentTypeSet.contains(type) && !scope.openTypes().contains(type)
                    && !confinedTo(type, where, scope.patients())) {
                appendCompartments(sql, scope, r, type, false, "Patient".equals(type),
                        scope.unattachedTypes().contains(type));
            }
        }
        if (type == null) {
            appendTypePatients(sql, scope, r);
        }
        appendContextBound(sql, scope, r, type, binaries);
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
     * {@code and (...)}: Binaries and stored Bundles, which belong to no compartment by type yet hold patient data.
     * A Binary is seen exactly when the resources it refers to are ({@code Binary.securityContext}, which R4 says
     * the server enforces access by; its own labels are tested as any resource's): it must refer to one, and every
     * resource it refers to must be visible under the same scope ({@code fhir_link} holds them all, so a reference
     * in an extension must be visible too), taken as part of a patient's record: types open whichever patient they
     * belong to (Patient itself to staff) are not open here, and reaches do not apply; a Patient context needs the
     * patient's documents besides ({@link #appendPatientContext}). A Binary that refers to nothing, and a stored Bundle (a document,
     * message or collection of anyone's entries, whose entries' labels its row does not carry), are seen only by
     * callers whose scope reaches every patient: system-level access. A Binary whose context is another Binary or a
     * Bundle is judged no further ({@code binaries} false): it is seen by those callers alone.
     */
    private void appendContextBound(Sql sql, AccessScope scope, String r, String type, boolean binaries) {
        boolean everyPatient = scope.patients() == null;
        if (type != null && !BINARY.equals(type) && !BUNDLE.equals(type)) {
            return;
        }
        if (BUNDLE.equals(type) || (!binaries && BINARY.equals(type))) {
            if (!everyPatient) {
                sql.add(" and false");
            }
            return;
        }
        String l = sql.alias("ctx");
        String t = sql.alias("ctx");
        String m = sql.alias("ctx");
        sql.add(" and (");
        if (type == null) {
            sql.add(r + ".res_type <> all(array['" + BINARY + "', '" + BUNDLE + "']) or ");
            if (!everyPatient) {
                sql.add("(" + r + ".res_type = '" + BINARY + "' and ");
            }
        }
        if (everyPatient) {
            sql.add(type == null ? "(" + r + ".res_type = '" + BUNDLE + "') or (" : "(");
            sql.add("not exists (select 1 from fhir_link " + m + " where " + m + ".res_pk = " + r + ".res_pk) or ");
        } else {
            sql.add("(exists (select 1 from fhir_link " + m + " where " + m + ".res_pk = " + r + ".res_pk) and ");
        }
        if (!binaries) {
            sql.add("false");
        } else {
            sql.add("not exists (select 1 from fhir_link " + l + " left join fhir_resource " + t + " on " + t
                    + ".res_type = " + l + ".target_type and " + t + ".res_id = " + l + ".target_id and not " + t
                    + ".deleted where " + l + ".res_pk = " + r + ".res_pk and (" + t + ".res_pk is null or not ");
            // Judged as part of the record, not as demographics open to all staff: a letter filed against a
            // Patient is seen by those who see the patient's record, not by everyone who may look them up.
            AccessScope record = everyPatient ? scope
                    : scope.withPatients(scope.patients(), Set.of(), scope.unattachedTypes());
            appendTo(sql, record, t, null, null, false);
            appendPatientContext(sql, scope, t);
            sql.add("))");
        }
        sql.add(")");
        if (type == null && !everyPatient) {
            sql.add(")");
        }
        sql.add(")");
    }

    /**
     * {@code or (...)} after a context's visibility test: a context that is the Patient itself makes the Binary a
     * document filed against the patient (a scanned letter), so it is seen only by those who may see that
     * patient's documents ({@code DocumentReference}), not by everyone who sees the Patient resource: a carer
     * shared only appointments, or a token with no DocumentReference scope, always sees the Patient. A search
     * restriction on DocumentReference cannot be judged on a Patient, so it withholds such Binaries altogether.
     */
    private static void appendPatientContext(Sql sql, AccessScope scope, String t) {
        sql.add(" or (" + t + ".res_type = 'Patient' and ");
        if (!scope.permitsType(DOCUMENT_REFERENCE) || scope.typeFilters().containsKey(DOCUMENT_REFERENCE)) {
            sql.add("true");
        } else if (scope.typePatients().containsKey(DOCUMENT_REFERENCE)) {
            sql.add("not " + t + ".res_id = any(").bind(texts(scope.forType(DOCUMENT_REFERENCE).patients()))
                    .add(")");
        } else {
            sql.add("false");
        }
        sql.add(")");
    }

    static final String DOCUMENT_REFERENCE = "DocumentReference";
    static final String BINARY = "Binary";
    static final String BUNDLE = "Bundle";

    /**
     * Whether, for rows of {@code type} meeting {@code where}, the scope's test is on security labels alone: no
     * compartment test (the type is open, outside compartments, or {@code where} confines it to the scope's
     * patients) and no search restriction. Such a test hides few matches (labelled records are the exception),
     * so a search may take its page first and test only the page's rows, falling back when one is hidden.
     */
    boolean testsLabelsOnly(AccessScope scope, String type, Criterion where) {
        if (scope != null && type != null) {
            scope = scope.forType(type);
        }
        if (scope == null || scope.unrestricted()) {
            return true;
        }
        if (type == null || (scope.types() != null && !scope.types().contains(type))
                || scope.typeFilters().containsKey(type) || BINARY.equals(type) || BUNDLE.equals(type)) {
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
    private void appendCompartments(Sql sql, AccessScope scope, String r, String type, boolean typeBranches,
                                    boolean self, boolean unattached) {
        boolean unattachedBranch = unattached && !scope.unattachedTypes().isEmpty();
        List<AccessScope.Reach> reaches = type == null ? List.copyOf(scope.reaches()) : scope.reachesOf(type);
        if (!typeBranches && !unattachedBranch && scope.patients().size() <= JOINED_CASELOAD) {
            appendCompartmentKeys(sql, scope, r, type, self, reaches);
            return;
        }
        Sql.TextArray patients = texts(scope.patients());
        sql.add(" and (false");
        if (typeBranches) {
            sql.add(" or " + r + ".res_type <> all(").bind(new Sql.TextArray(compartmentTypes)).add(")");
            if (!scope.openTypes().isEmpty()) {
                sql.add(" or " + r + ".res_type = any(").bind(texts(scope.openTypes())).add(")");
            }
        }
        if (self && !scope.patients().isEmpty()) {
            sql.add(" or (" + r + ".res_type = 'Patient' and " + r + ".res_id = any(").bind(patients).add("))");
        }
        String a = sql.alias("acc");
        if (scope.patients().isEmpty()) {
            // Nobody's compartment to look in: only the other branches can let a row through.
        } else if (scope.patients().size() <= SMALL_CASELOAD) {
            // Few patients: their compartments are collected once (from the target index) into a hashed
            // set, so scanning many rows of a type costs one probe each, not one index lookup each.
            sql.add(" or " + r + ".res_pk in (");
            caseloadKeys(sql, a, patients, type);
            sql.add(")");
        } else {
            // A large caseload would make that set large: look at each row's own references instead.
            sql.add(" or exists (select 1 from idx_reference " + a + " where " + a + ".res_pk = " + r
                            + ".res_pk and " + a + ".target_type = 'Patient' and " + a + ".target_id = any(")
                    .bind(patients).add(") and ");
            memberPairs(sql, a, type);
            sql.add(")");
        }
        if (unattachedBranch) {
            String u = sql.alias("acc");
            sql.add(" or (" + r + ".res_type = any(").bind(texts(scope.unattachedTypes()))
                    .add(") and not exists (select 1 from idx_reference " + u + " where " + u + ".res_pk = "
                            + r + ".res_pk and " + u + ".target_type = 'Patient' and ");
            memberPairs(sql, u, type);
            sql.add("))");
        }
        if (!reaches.isEmpty()) {
            sql.add(" or " + r + ".res_pk in (");
            reachKeys(sql, reaches);
            sql.add(")");
        }
        sql.add(")");
    }

    /**
     * {@code select <key> from idx_reference ... [union all ...]}: the resources the reaches take in, each read from
     * the index's lookup by type, parameter and target.
     */
    private void reachKeys(Sql sql, List<AccessScope.Reach> reaches) {
        String union = "";
        for (AccessScope.Reach reach : reaches) {
            List<String> params = new ArrayList<>();
            reach.params().forEach(p -> stored(registry, reach.type(), p).stream().filter(x -> !params.contains(x))
                    .forEach(params::add));
            List<String> targetTypes = new ArrayList<>();
            List<String> targetIds = new ArrayList<>();
            for (String target : reach.targets()) {
                int slash = target.indexOf('/');
                if (slash > 0 && slash < target.length() - 1) {
                    targetTypes.add(target.substring(0, slash));
                    targetIds.add(target.substring(slash + 1));
                }
            }
            String y = sql.alias("rch");
            sql.add(union + "select " + y + ".res_pk from idx_reference " + y + " where " + y + ".res_type = ")
                    .bind(reach.type()).add(" and " + y + ".param = any(")
                    .bind(new Sql.TextArray(params.toArray(String[]::new)))
                    .add(") and (" + y + ".target_type, " + y + ".target_id) in (select * from unnest(")
                    .bind(new Sql.TextArray(targetTypes.toArray(String[]::new))).add("::text[], ")
                    .bind(new Sql.TextArray(targetIds.toArray(String[]::new))).add("::text[]))");
            union = " union all ";
        }
    }

    /**
     * For rows of any type, the scope's {@code typePatients}: {@code and (<not of these types> or <in the
     * compartment of one of their patients>)}, once for each set of patients (a carer's few consents give few
     * sets), so a row of a type one patient allowed is seen only in that patient's compartment, not in the
     * compartment of another who allowed other types. The scope's own compartment test still applies beside it.
     */
    private void appendTypePatients(Sql sql, AccessScope scope, String r) {
        Map<Set<String>, Set<String>> typesByPatients = new HashMap<>();
        scope.typePatients().forEach((t, ids) -> typesByPatients.computeIfAbsent(ids, k -> new HashSet<>()).add(t));
        for (Map.Entry<Set<String>, Set<String>> group : typesByPatients.entrySet()) {
            Set<String> ids = group.getKey();
            sql.add(" and (" + r + ".res_type <> all(").bind(texts(group.getValue())).add(")");
            if (!ids.isEmpty()) {
                Sql.TextArray patients = texts(ids);
                if (group.getValue().contains("Patient")) {
                    sql.add(" or (" + r + ".res_type = 'Patient' and " + r + ".res_id = any(").bind(patients)
                            .add("))");
                }
                sql.add(" or " + r + ".res_pk in (");
                caseloadKeys(sql, sql.alias("acc"), patients, null);
                sql.add(")");
            }
            Set<String> unattached = new HashSet<>(group.getValue());
            unattached.retainAll(scope.unattachedTypes());
            if (!unattached.isEmpty()) {
                String u = sql.alias("acc");
                sql.add(" or (" + r + ".res_type = any(").bind(texts(unattached))
                        .add(") and not exists (select 1 from idx_reference " + u + " where " + u + ".res_pk = "
                                + r + ".res_pk and " + u + ".target_type = 'Patient' and ");
                memberPairs(sql, u, null);
                sql.add("))");
            }
            List<AccessScope.Reach> reaches = scope.reaches().stream()
                    .filter(reach -> group.getValue().contains(reach.type())).toList();
            if (!reaches.isEmpty()) {
                sql.add(" or " + r + ".res_pk in (");
                reachKeys(sql, reaches);
                sql.add(")");
            }
            sql.add(")");
        }
    }

    /**
     * {@code and <row key> in (<keys of the caseload's compartments> [union all <the patients themselves>])}, for a
     * scope whose every way in can be read from an index. Written as a condition of its own rather than as a
     * branch of an {@code or}, PostgreSQL turns it into a join and can start from the caseload's few hundred index
     * rows: a nurse's {@code Observation?category=vital-signs} over a store of thousands of patients then reads
     * her patients' observations, not every observation in key order until a page of hers turns up. With nobody
     * in the caseload, the condition is {@code false}, and the statement ends before it reads a row.
     */
    private void appendCompartmentKeys(Sql sql, AccessScope scope, String r, String type, boolean self,
                                       List<AccessScope.Reach> reaches) {
        if (scope.patients().isEmpty() && reaches.isEmpty()) {
            sql.add(" and false");
            return;
        }
        sql.add(" and " + r + ".res_pk in (");
        if (!scope.patients().isEmpty()) {
            Sql.TextArray patients = texts(scope.patients());
            caseloadKeys(sql, sql.alias("acc"), patients, type);
            if (self) {
                String p = sql.alias("acc");
                sql.add(" union all select " + p + ".res_pk from fhir_resource " + p + " where " + p
                        + ".res_type = 'Patient' and " + p + ".res_id = any(").bind(patients).add(")");
            }
            if (!reaches.isEmpty()) {
                sql.add(" union all ");
            }
        }
        reachKeys(sql, reaches);
        sql.add(")");
    }

    /** {@code select <key> from idx_reference a where <a reference to one of patients by a compartment link>}. */
    private void caseloadKeys(Sql sql, String a, Sql.TextArray patients, String type) {
        sql.add("select " + a + ".res_pk from idx_reference " + a + " where " + a + ".target_type = 'Patient' and "
                + a + ".target_id = any(").bind(patients).add(") and ");
        memberPairs(sql, a, type);
    }

    /**
     * {@code (a.res_type, a.param) in (...)}: the reference is one of the compartment links; of {@code type}'s own
     * links when the rows are all of that type (fewer pairs, and the planner estimates the rows from them).
     */
    private void memberPairs(Sql sql, String a, String type) {
        String[][] pairs = type == null ? null : pairsByType.get(type);
        if (pairs == null) {
            pairs = new String[][] {memberTypes, memberParams};
        }
        sql.add("(" + a + ".res_type, " + a + ".param) in (select * from unnest(").bind(new Sql.TextArray(pairs[0]))
                .add("::text[], ").bind(new Sql.TextArray(pairs[1])).add("::text[]))");
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
