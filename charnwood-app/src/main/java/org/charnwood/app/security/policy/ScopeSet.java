package org.charnwood.app.security.policy;

import org.charnwood.app.security.ScopeNotGranted;
import org.charnwood.app.security.policy.SmartScope.Context;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SMART scopes of one request, as far as they concern resources in the contexts the caller's kind may
 * use. Scopes only narrow what the policy would otherwise permit; they never widen it.
 */
public final class ScopeSet {

    /**
     * Parsed scope sets by what they were parsed from. Every request of a token carries the same scope list, and
     * a server sees few distinct lists (one per kind of client and launch), so parsing each once saves a regex
     * match per scope per request. A ScopeSet is immutable, so sharing it is safe; the bound only keeps a stream
     * of odd lists from growing the memory (past it, the memory starts again).
     */
    private static final Map<Parsed, ScopeSet> PARSED = new ConcurrentHashMap<>();
    static final int PARSED_LIMIT = 512;
    /** Past this many (letter, type) narrowings, a scope set works them out without remembering more. */
    private static final int NARROWING_LIMIT = 2048;

    private record Parsed(List<String> granted, Set<Context> contexts) {
    }

    private final List<SmartScope> scopes;
    /** {@link #narrowing} by letter and type: a pure function of the scopes, so worked out once per pair. */
    private final Map<String, Narrowing> narrowings = new ConcurrentHashMap<>();

    /** The contexts ({@code patient/}, {@code user/}, {@code system/}) whose scopes count for this caller. */
    private final Set<Context> contexts;

    private ScopeSet(List<SmartScope> scopes, Set<Context> contexts) {
        this.scopes = scopes;
        this.contexts = contexts;
    }

    /**
     * The refusal of {@code letter} on {@code type} (null: every type), naming the scopes of this caller's
     * contexts any one of which would allow it.
     */
    public ScopeNotGranted refusal(char letter, String type) {
        List<String> needed = new ArrayList<>();
        for (Context context : Context.values()) {
            if (contexts.contains(context)) {
                needed.add(context.name().toLowerCase(java.util.Locale.ROOT) + "/" + (type == null ? "*" : type)
                        + "." + letter);
            }
        }
        String verb = switch (letter) {
            case 'c' -> "create";
            case 'r' -> "read";
            case 'u' -> "update";
            case 'd' -> "delete";
            default -> "search";
        };
        return new ScopeNotGranted(verb + (type == null ? " resources of any type" : " " + type + " resources"),
                needed);
    }

    /** The resource scopes among {@code granted} whose context is one of {@code contexts}. */
    public static ScopeSet of(Collection<String> granted, Set<Context> contexts) {
        Parsed key = new Parsed(List.copyOf(granted), Set.copyOf(contexts));
        ScopeSet known = PARSED.get(key);
        if (known != null) {
            return known;
        }
        List<SmartScope> parsed = new ArrayList<>();
        for (String s : key.granted()) {
            SmartScope.parse(s).filter(scope -> key.contexts().contains(scope.context())).ifPresent(parsed::add);
        }
        ScopeSet set = new ScopeSet(List.copyOf(parsed), key.contexts());
        if (PARSED.size() >= PARSED_LIMIT) {
            PARSED.clear();
        }
        PARSED.put(key, set);
        return set;
    }

    /**
     * What the scopes make of a read or search ({@code letter}) on {@code type} (null for every type): whether it
     * is refused, the types left visible, the search restrictions per type, and whether access must be confined
     * to the launch patient.
     *
     * @param refusal  why the scopes refuse the interaction; null when they permit it
     * @param readable the types granted read or search; null when every type is
     * @param filters  type → search restrictions one of which its resources must match
     * @param confine  whether access rests only on {@code patient/} scopes, so only the launch patient is seen
     */
    public record Narrowing(ScopeNotGranted refusal, Set<String> readable, Map<String, List<String>> filters,
                            boolean confine) {
    }

    /** The narrowing for {@code letter} on {@code type} (null: any type); remembered, as it depends on nothing else. */
    public Narrowing narrowing(char letter, String type) {
        String key = type == null ? String.valueOf(letter) : letter + type;
        Narrowing known = narrowings.get(key);
        if (known != null) {
            return known;
        }
        Narrowing n = workOutNarrowing(letter, type);
        if (narrowings.size() < NARROWING_LIMIT) {
            narrowings.put(key, n);
        }
        return n;
    }

    private Narrowing workOutNarrowing(char letter, String type) {
        boolean confine = false;
        if (type != null) {
            Grant grant = grant(letter, type);
            if (!grant.granted()) {
                return new Narrowing(refusal(letter, type), null, Map.of(), false);
            }
            confine = grant.launchPatientOnly();
        } else if (typesGranted(letter) != null && typesGranted(letter).isEmpty()) {
            return new Narrowing(refusal(letter, null), null, Map.of(), false);
        }
        Set<String> r = typesGranted('r');
        Set<String> s = typesGranted('s');
        Set<String> readable = null;
        if (r != null && s != null) {
            Set<String> u = new HashSet<>(r);
            u.addAll(s);
            readable = Set.copyOf(u);
        }
        Map<String, List<String>> filters = new HashMap<>();
        for (String t : readable == null ? AllTypes.TYPES : readable) {
            Grant g = grant(type != null && type.equals(t) ? letter : 'r', t);
            if (!g.granted()) {
                g = grant('s', t);
            }
            if (g.granted() && !g.filters().isEmpty()) {
                filters.put(t, g.filters());
            }
            if (type == null && g.granted() && g.launchPatientOnly()) {
                confine = true;
            }
        }
        return new Narrowing(null, readable, Map.copyOf(filters), confine);
    }

    /**
     * What the scopes grant for one permission on one type.
     *
     * @param granted         whether any scope grants it
     * @param launchPatientOnly whether only {@code patient/} scopes grant it, confining it to the launch patient
     * @param filters         search restrictions one of which must hold; empty when some granting scope has none
     */
    public record Grant(boolean granted, boolean launchPatientOnly, List<String> filters) {
        static final Grant NONE = new Grant(false, false, List.of());
    }

    public Grant grant(char letter, String type) {
        boolean any = false;
        boolean patientOnly = true;
        boolean unfiltered = false;
        List<String> filters = new ArrayList<>();
        for (SmartScope scope : scopes) {
            if (scope.grants(letter, type)) {
                any = true;
                patientOnly &= scope.context() == Context.PATIENT;
                if (scope.query() == null) {
                    unfiltered = true;
                } else {
                    filters.add(scope.query());
                }
            }
        }
        if (!any) {
            return Grant.NONE;
        }
        return new Grant(true, patientOnly, unfiltered ? List.of() : List.copyOf(filters));
    }

    /** The types the permission is granted on; null when granted on every type ({@code *}). */
    public Set<String> typesGranted(char letter) {
        Set<String> types = new HashSet<>();
        for (SmartScope scope : scopes) {
            if (scope.letters().contains(letter)) {
                if ("*".equals(scope.type())) {
                    return null;
                }
                types.add(scope.type());
            }
        }
        return types;
    }

    /** Whether some type's permission rests only on {@code patient/} scopes. */
    public boolean anyPatientContext() {
        return scopes.stream().anyMatch(s -> s.context() == Context.PATIENT);
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }
}
