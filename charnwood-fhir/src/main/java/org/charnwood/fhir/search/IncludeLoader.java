package org.charnwood.fhir.search;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves {@code _include} and {@code _revinclude} for a page of matches through the reference
 * index: one statement per direction per round. Rounds after the first apply only the
 * {@code :iterate} specs, to the resources the previous round added, until nothing new turns up.
 */
final class IncludeLoader {

    /** Most resources one search may include; further ones are left out. */
    static final int MAX_INCLUDED = 5000;
    /** Most rounds of {@code :iterate}. */
    static final int MAX_ROUNDS = 8;

    /**
     * The resources included, in the order found; {@code cut} when some were left out at {@link #MAX_INCLUDED}, or
     * {@code :iterate} stopped after {@link #MAX_ROUNDS} rounds with resources still to follow, so that the bundle
     * can say it is incomplete.
     */
    record Included(List<Long> keys, boolean cut) {
        static final Included NONE = new Included(List.of(), false);
    }

    Included load(Connection c, List<IncludeSpec> specs, List<ResourceRow> matches) throws SQLException {
        return load(c, specs, matches, AccessScope.UNRESTRICTED, null);
    }

    /** As {@link #load(Connection, List, List)}, adding only resources the access scope lets the caller see. */
    Included load(Connection c, List<IncludeSpec> specs, List<ResourceRow> matches, AccessScope scope,
                  AccessFilter access) throws SQLException {
        if (specs.isEmpty() || matches.isEmpty()) {
            return Included.NONE;
        }
        boolean cut = false;
        Set<Long> known = new HashSet<>();
        matches.forEach(m -> known.add(m.pk()));
        List<Long> included = new ArrayList<>();
        List<ResourceRow> frontier = matches;
        int round = 0;
        for (; round < MAX_ROUNDS && !frontier.isEmpty() && !cut; round++) {
            boolean first = round == 0;
            List<IncludeSpec> forward = specs.stream().filter(s -> !s.reverse() && (first || s.iterate())).toList();
            List<IncludeSpec> reverse = specs.stream().filter(s -> s.reverse() && (first || s.iterate())).toList();
            if (forward.isEmpty() && reverse.isEmpty()) {
                break;
            }
            // One more than there is room for, to tell a full allowance from a cut one.
            int room = MAX_INCLUDED - included.size() + 1;
            List<ResourceRow> found = new ArrayList<>();
            if (!forward.isEmpty()) {
                found.addAll(query(c, forward(frontier, forward, room, scope, access)));
                List<IncludeSpec> byUrl = forward.stream().filter(spec -> !spec.canonical().isEmpty()).toList();
                if (!byUrl.isEmpty()) {
                    found.addAll(query(c, forwardByUrl(frontier, byUrl, room, scope, access)));
                }
            }
            if (!reverse.isEmpty()) {
                found.addAll(query(c, reverse(frontier, reverse, room, scope, access)));
                List<IncludeSpec> byUrl = reverse.stream().filter(spec -> !spec.canonical().isEmpty()).toList();
                List<ResourceRow> named = frontier.stream()
                        .filter(row -> byUrl.stream().anyMatch(spec -> spec.canonicalTo(row.type()))).toList();
                if (!named.isEmpty()) {
                    found.addAll(query(c, reverseByUrl(named, byUrl, room, scope, access)));
                }
            }
            List<ResourceRow> next = new ArrayList<>();
            for (ResourceRow row : found) {
                if (known.add(row.pk())) {
                    if (included.size() < MAX_INCLUDED) {
                        included.add(row.pk());
                        next.add(row);
                    } else {
                        cut = true;
                    }
                }
            }
            frontier = next;
        }
        boolean iterates = specs.stream().anyMatch(IncludeSpec::iterate);
        return new Included(included, cut || round == MAX_ROUNDS && iterates && !frontier.isEmpty());
    }

    /** Resources the frontier's references point at. */
    private static Sql forward(List<ResourceRow> frontier, List<IncludeSpec> specs, int limit, AccessScope scope,
                               AccessFilter access) {
        Sql sql = new Sql().add("""
                select distinct t.res_pk, t.res_type, t.res_id from idx_reference x
                  join fhir_resource t on t.res_type = x.target_type and t.res_id = x.target_id
                 where x.res_pk = any(""").bind(keys(frontier)).add(") and not t.deleted and (");
        specConditions(sql, specs);
        restrict(sql, scope, access, "t");
        return sql.add(") order by t.res_pk limit ").bind(limit);
    }

    /** Resources whose references point at the frontier. */
    private static Sql reverse(List<ResourceRow> frontier, List<IncludeSpec> specs, int limit, AccessScope scope,
                               AccessFilter access) {
        String[] types = frontier.stream().map(ResourceRow::type).toArray(String[]::new);
        String[] ids = frontier.stream().map(ResourceRow::id).toArray(String[]::new);
        Sql sql = new Sql().add("""
                select distinct s.res_pk, s.res_type, s.res_id from idx_reference x
                  join fhir_resource s on s.res_pk = x.res_pk
                 where (x.target_type, x.target_id) in (select * from unnest(""")
                .bind(new Sql.TextArray(types)).add("::text[], ").bind(new Sql.TextArray(ids))
                .add("::text[])) and not s.deleted and (");
        specConditions(sql, specs);
        restrict(sql, scope, access, "s");
        return sql.add(") order by s.res_pk limit ").bind(limit);
    }

    /**
     * Resources the frontier's references name by canonical URL ({@link CanonicalTarget}): those of a type the spec
     * may include whose {@code url} (and {@code version}, when the reference gives one) the reference holds. A
     * separate statement, made only for specs whose targets have a {@code url}, so that includes of patients and
     * practitioners cost what they did.
     */
    private static Sql forwardByUrl(List<ResourceRow> frontier, List<IncludeSpec> specs, int limit,
                                    AccessScope scope, AccessFilter access) {
        List<CanonicalTarget> targets = union(specs);
        Sql sql = new Sql().add("select distinct t.res_pk, t.res_type, t.res_id from idx_reference x join idx_uri u on ");
        CanonicalTarget.appendUrlRow(sql, targets, "u", "x");
        sql.add(" join fhir_resource t on t.res_pk = u.res_pk where x.res_pk = any(").bind(keys(frontier)).add(") and ");
        CanonicalTarget.appendByUrl(sql, "x");
        CanonicalTarget.appendVersion(sql, targets, "x", "u.res_pk");
        sql.add(" and not t.deleted and (");
        byUrlSpecConditions(sql, specs);
        restrict(sql, scope, access, "t");
        return sql.add(") order by t.res_pk limit ").bind(limit);
    }

    /**
     * Resources whose references name the frontier by canonical URL: its {@code url}, alone or with its
     * {@code version} after a {@code |}.
     */
    private static Sql reverseByUrl(List<ResourceRow> frontier, List<IncludeSpec> specs, int limit,
                                    AccessScope scope, AccessFilter access) {
        List<CanonicalTarget> targets = union(specs);
        Sql sql = new Sql().add("select distinct s.res_pk, s.res_type, s.res_id from idx_uri u cross join lateral"
                + " (select u.uri as url union all select u.uri || '|' || v.code from idx_token v where v.res_pk ="
                + " u.res_pk and v.code is not null and ");
        CanonicalTarget.appendVersionRows(sql, targets, "v");
        sql.add(") c join idx_reference x on x.target_url = c.url and x.target_id is null"
                + " join fhir_resource s on s.res_pk = x.res_pk where u.res_pk = any(").bind(keys(frontier))
                .add(") and (");
        for (int i = 0; i < targets.size(); i++) {
            sql.add(i == 0 ? "(" : " or (").add("u.res_type = ").literal(targets.get(i).type()).add(" and ");
            targets.get(i).url().appendTo(sql, "u");
            sql.add(")");
        }
        sql.add(") and not s.deleted and (");
        byUrlSpecConditions(sql, specs);
        restrict(sql, scope, access, "s");
        return sql.add(") order by s.res_pk limit ").bind(limit);
    }

    /** As {@link #specConditions}, with the target's type tested on its {@code url} row {@code u}. */
    private static void byUrlSpecConditions(Sql sql, List<IncludeSpec> specs) {
        for (int i = 0; i < specs.size(); i++) {
            IncludeSpec spec = specs.get(i);
            sql.add(i == 0 ? "(" : " or (");
            if (spec.sourceType() != null) {
                sql.add("x.res_type = ").literal(spec.sourceType()).add(" and ");
                if (spec.rows() != null) {
                    // The parameter's own rows; a URL's target type is told by the url row below, not by the reference.
                    new StoredRows(spec.rows().params(), null).appendTo(sql, "x");
                    sql.add(" and ");
                }
            }
            sql.add("u.res_type in (");
            for (int j = 0; j < spec.canonical().size(); j++) {
                sql.add(j == 0 ? "" : ", ").literal(spec.canonical().get(j).type());
            }
            sql.add("))");
        }
    }

    private static List<CanonicalTarget> union(List<IncludeSpec> specs) {
        java.util.Map<String, CanonicalTarget> byType = new java.util.LinkedHashMap<>();
        specs.forEach(spec -> spec.canonical().forEach(t -> byType.putIfAbsent(t.type(), t)));
        return List.copyOf(byType.values());
    }

    private static void restrict(Sql sql, AccessScope scope, AccessFilter access, String alias) {
        if (scope != null && !scope.unrestricted()) {
            sql.add(") and (");
            access.appendTo(sql, scope, alias);
        }
    }

    private static void specConditions(Sql sql, List<IncludeSpec> specs) {
        for (int i = 0; i < specs.size(); i++) {
            IncludeSpec spec = specs.get(i);
            sql.add(i == 0 ? "(" : " or (");
            if (spec.sourceType() == null) {
                sql.add("true");
            } else {
                sql.add("x.res_type = ").literal(spec.sourceType());
                if (spec.rows() != null) {
                    sql.add(" and ");
                    spec.rows().appendTo(sql, "x");
                }
                if (spec.targetType() != null) {
                    sql.add(" and x.target_type = ").literal(spec.targetType());
                }
            }
            sql.add(")");
        }
    }

    private static Sql.KeyArray keys(List<ResourceRow> rows) {
        return new Sql.KeyArray(rows.stream().map(ResourceRow::pk).toArray(Long[]::new));
    }

    private static List<ResourceRow> query(Connection c, Sql sql) throws SQLException {
        List<ResourceRow> out = new ArrayList<>();
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ResourceRow(rs.getLong(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }
}
