package org.charnwood.fhir.search;

import org.charnwood.fhir.search.SearchParameterDefinition.Component;
import org.charnwood.fhir.search.SearchParameterDefinition.Derivation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the parameters of a type whose values are exactly those of other parameters of the same
 * type, judged from their (narrowed) expressions alone:
 * <ul>
 *   <li>a union of other parameters' expressions ({@code combo-code = code | component-code},
 *       {@code combo-code-value-quantity} over the same components);</li>
 *   <li>the same expression as another: the alphabetically first is stored, so the choice never depends on the
 *       order of definitions ({@code phonetic}, though it selects the names as {@code name} does, is stored as
 *       their sounds, see {@link Phonetic});</li>
 *   <li>another reference parameter's expression followed by {@code .where(resolve() is T)}.</li>
 * </ul>
 * About a third of the index rows of an Observation are such duplicates, so ingest writes much
 * less. A parameter is only ever derived from parameters that are stored themselves.
 */
final class Derivations {

    private static final Pattern RESOLVES_TO = Pattern.compile("(.+)\\.where\\(resolve\\(\\) is ([A-Za-z]+)\\)");

    private Derivations() {
    }

    /** The definitions with their derivations set (every previous derivation is recomputed). */
    static Map<String, SearchParameterDefinition> apply(Map<String, SearchParameterDefinition> defined) {
        Map<String, SearchParameterDefinition> out = new LinkedHashMap<>();
        defined.forEach((code, d) -> out.put(code, d.derivation() == null ? d : d.derivedFrom(null)));
        List<SearchParameterDefinition> candidates = out.values().stream().filter(Derivations::eligible)
                .sorted(Comparator.comparing(SearchParameterDefinition::code)).toList();
        Map<String, Derivation> found = new LinkedHashMap<>();
        for (SearchParameterDefinition a : candidates) {
            Derivation d = derive(a, candidates);
            if (d != null) {
                found.put(a.code(), d);
            }
        }
        // Only stored parameters may serve as a base: drop derivations resting on derived ones.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (var it = found.entrySet().iterator(); it.hasNext(); ) {
                if (it.next().getValue().params().stream().anyMatch(found::containsKey)) {
                    it.remove();
                    changed = true;
                }
            }
        }
        found.forEach((code, d) -> out.put(code, out.get(code).derivedFrom(d)));
        return out;
    }

    /** Derivation for one new parameter against the stored parameters of the type (on registration). */
    static Derivation against(SearchParameterDefinition a, Iterable<SearchParameterDefinition> existing) {
        if (!eligible(a)) {
            return null;
        }
        List<SearchParameterDefinition> stored = new ArrayList<>();
        for (SearchParameterDefinition d : existing) {
            if (eligible(d) && d.derivation() == null && !d.code().equals(a.code())) {
                stored.add(d);
            }
        }
        stored.sort(Comparator.comparing(SearchParameterDefinition::code));
        // A new parameter is never the stored half of an alias: existing rows stay where they are.
        return derive(a, stored, true);
    }

    private static boolean eligible(SearchParameterDefinition d) {
        // phonetic selects what name does, but its rows hold how the names sound (Phonetic), not the names.
        return d.searchable() && !d.code().equals("_id") && !d.code().equals("_lastUpdated")
                && !d.code().startsWith("_") && !Phonetic.is(d);
    }

    private static Derivation derive(SearchParameterDefinition a, List<SearchParameterDefinition> candidates) {
        return derive(a, candidates, false);
    }

    private static Derivation derive(SearchParameterDefinition a, List<SearchParameterDefinition> candidates,
                                     boolean anyAlias) {
        Set<String> branches = branches(a);
        if (a.type() == SearchParamType.REFERENCE && branches.size() == 1) {
            Matcher m = RESOLVES_TO.matcher(branches.iterator().next());
            if (m.matches()) {
                Set<String> base = Set.of(normalise(m.group(1)));
                for (SearchParameterDefinition b : candidates) {
                    if (b != a && b.type() == SearchParamType.REFERENCE && branches(b).equals(base)) {
                        return new Derivation(List.of(b.code()), m.group(2));
                    }
                }
                return null;
            }
        }
        List<String> parts = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (SearchParameterDefinition b : candidates) {
            if (b == a || b.type() != a.type() || !sameComponents(a, b)) {
                continue;
            }
            Set<String> bb = branches(b);
            if (bb.equals(branches) && (anyAlias || b.code().compareTo(a.code()) < 0)) {
                return new Derivation(List.of(b.code()), null);
            }
            if (branches.containsAll(bb) && bb.size() < branches.size()) {
                parts.add(b.code());
                covered.addAll(bb);
            }
        }
        return parts.size() > 1 && covered.equals(branches) ? new Derivation(List.copyOf(parts), null) : null;
    }

    private static boolean sameComponents(SearchParameterDefinition a, SearchParameterDefinition b) {
        List<Component> ca = a.components();
        List<Component> cb = b.components();
        if (ca.size() != cb.size()) {
            return false;
        }
        for (int i = 0; i < ca.size(); i++) {
            if (ca.get(i).type() != cb.get(i).type()
                    || !normalise(ca.get(i).expression()).equals(normalise(cb.get(i).expression()))) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> branches(SearchParameterDefinition d) {
        Set<String> out = new HashSet<>();
        for (String branch : ElementPathCompiler.splitUnion(d.expression())) {
            out.add(normalise(branch));
        }
        return out;
    }

    private static String normalise(String expression) {
        return expression.trim().replaceAll("\\s+", " ");
    }
}
