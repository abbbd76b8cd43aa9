package org.charnwood.fhir.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A resource type that other resources can name by canonical URL (R4 references.html#canonical): one with a
 * {@code url} and a {@code version} parameter, such as Questionnaire, PlanDefinition or ValueSet. (Device and
 * Subscription have a {@code url} that is a network address, and no {@code version}: not named so.) A reference row that holds a URL rather
 * than a local {@code Type/id} (QuestionnaireResponse.questionnaire, CarePlan.instantiatesCanonical) names the
 * stored resources of such a type whose {@code url} is that URL and, when it ends in {@code |version}, whose
 * {@code version} is that version; without a version it names every version stored. Includes and chains follow
 * these as they follow {@code Type/id}.
 *
 * @param type    the resource type
 * @param url     where its {@code url} values are stored (another parameter's rows when derived, as CodeSystem's)
 * @param version where its {@code version} values are stored
 */
record CanonicalTarget(String type, StoredRows url, StoredRows version) {

    /** The type as a target of canonical references; null when it has no {@code url} and {@code version}. */
    static CanonicalTarget of(SearchParameterRegistry registry, String type) {
        StoredRows url = registry.find(type, "url")
                .filter(d -> d.type() == SearchParamType.URI && d.searchable()).map(StoredRows::of).orElse(null);
        StoredRows version = registry.find(type, "version")
                .filter(d -> d.type() == SearchParamType.TOKEN && d.searchable()).map(StoredRows::of).orElse(null);
        return url == null || version == null ? null : new CanonicalTarget(type, url, version);
    }

    /** Those of the types that can be named by canonical URL; every such type for none (any target). */
    static List<CanonicalTarget> among(SearchParameterRegistry registry, Collection<String> types) {
        List<CanonicalTarget> out = new ArrayList<>();
        for (String type : types.isEmpty() ? registry.resourceTypes() : types) {
            CanonicalTarget target = of(registry, type);
            if (target != null) {
                out.add(target);
            }
        }
        return List.copyOf(out);
    }

    /** {@code <ref>} is a reference row that holds a URL, not a local resource. */
    static void appendByUrl(Sql sql, String ref) {
        sql.add(ref + ".target_id is null and " + ref + ".target_url is not null");
    }

    /**
     * The {@code url} row {@code <u>} is one of these types' and holds the URL of reference row {@code <ref>}
     * (without its version). Written with the type first, so that the (res_type, param, uri) index finds it.
     */
    static void appendUrlRow(Sql sql, List<CanonicalTarget> targets, String u, String ref) {
        sql.add("(");
        for (int i = 0; i < targets.size(); i++) {
            sql.add(i == 0 ? "(" : " or (").add(u + ".res_type = ").literal(targets.get(i).type()).add(" and ");
            targets.get(i).url().appendTo(sql, u);
            sql.add(")");
        }
        sql.add(") and " + u + ".uri = split_part(" + ref + ".target_url, '|', 1)");
    }

    /** When reference row {@code <ref>} names a version, resource {@code <resourceKey>} (of one of the types) has it. */
    static void appendVersion(Sql sql, List<CanonicalTarget> targets, String ref, String resourceKey) {
        String v = sql.alias("v");
        sql.add(" and (strpos(" + ref + ".target_url, '|') = 0 or exists (select 1 from idx_token " + v + " where "
                + v + ".res_pk = " + resourceKey + " and " + v + ".code = substr(" + ref + ".target_url, strpos("
                + ref + ".target_url, '|') + 1) and ");
        appendVersionRows(sql, targets, v);
        sql.add("))");
    }

    /** The token row {@code <v>} is a {@code version} row of one of the types. */
    static void appendVersionRows(Sql sql, List<CanonicalTarget> targets, String v) {
        sql.add("(");
        for (int i = 0; i < targets.size(); i++) {
            sql.add(i == 0 ? "(" : " or (").add(v + ".res_type = ").literal(targets.get(i).type()).add(" and ");
            targets.get(i).version().appendTo(sql, v);
            sql.add(")");
        }
        sql.add(")");
    }
}
