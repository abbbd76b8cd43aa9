package org.charnwood.fhir.search;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which stored resources a caller may see, as a restriction the repository applies inside its SQL — to search
 * pages, totals, includes, {@code $everything}, history and reads alike — so that a resource outside it is
 * never counted, paged over or loaded. It says nothing about why: the access policy of the application decides
 * the values; the library only enforces them.
 *
 * <p>A resource is visible when all of these hold:
 * <ul>
 *   <li>{@code types} is null or holds its type;</li>
 *   <li>{@code patients} is null, or its type is outside the Patient compartment (Practitioner, Organization,
 *       Medication...), or its type is in {@code openTypes}, or it belongs to the compartment of one of
 *       {@code patients} (a Patient belongs to its own), or its type is in {@code unattachedTypes} and it
 *       belongs to no patient's compartment at all (a team's CareTeam), or one of {@code reaches} takes it in
 *       (it is of the reach's type and one of the reach's reference parameters points at one of its targets);</li>
 *   <li>it carries none of {@code hiddenLabels} in {@code meta.security};</li>
 *   <li>when {@code typeFilters} has its type, it matches at least one of the search query strings listed there
 *       (for example {@code category=vital-signs} for Observation);</li>
 *   <li>when {@code typePatients} has its type, it also belongs to the compartment of one of the patients listed
 *       there (a Patient: is one of them), whatever {@code openTypes} says, unless one of {@code reaches} takes it
 *       in, or its type is in {@code unattachedTypes} and it belongs to no patient at all: for callers who may see
 *       different types for different patients, such as a carer whose each patient consented to their own list,
 *       or a clerk who sees Tasks about nobody and Tasks addressed to them, but no patient's Tasks.</li>
 * </ul>
 * A reach widens only which compartments may be seen: the types, labels and search restrictions still apply to
 * what it takes in.
 *
 * @param types             resource types that may be seen at all; null for every type
 * @param patients          ids of the patients whose compartments may be seen; null for every patient
 * @param openTypes         compartment types visible whichever patient they belong to (e.g. Patient for a
 *                          demographic search); ignored when {@code patients} is null
 * @param unattachedTypes   compartment types whose resources are visible when they belong to no patient (kept to
 *                          the types that need it: each costs a look at the row's references)
 * @param hiddenLabels      security labels ({@code system}, {@code code}) whose resources are hidden
 * @param typeFilters       resource type → search query strings, one of which each resource of that type must
 *                          match
 * @param typePatients      compartment type → the only patients whose compartments may show resources of that
 *                          type; it narrows {@code patients}, never widens it
 * @param reaches           resources visible whichever patient's compartment they are in, for the references
 *                          they hold; ignored when {@code patients} is null
 */
public record AccessScope(Set<String> types, Set<String> patients, Set<String> openTypes, Set<String> unattachedTypes,
                          Set<Label> hiddenLabels, Map<String, List<String>> typeFilters,
                          Map<String, Set<String>> typePatients, Set<Reach> reaches) {

    /** Everything: the scope of the repository's own maintenance and of full-access system callers. */
    public static final AccessScope UNRESTRICTED = new AccessScope(null, null, Set.of(), Set.of(), Set.of(), Map.of());

    /** A security label, as {@code meta.security} carries it. */
    public record Label(String system, String code) {
        public Label {
            Objects.requireNonNull(code, "code");
        }
    }

    /**
     * Resources of {@code type} one of whose reference parameters {@code params} points at one of {@code targets}
     * ({@code Type/id}), as their search index holds them.
     */
    public record Reach(String type, Set<String> params, Set<String> targets) {
        public Reach {
            Objects.requireNonNull(type, "type");
            params = Set.copyOf(params);
            targets = Set.copyOf(targets);
        }
    }

    /** A scope that sees the same types in every permitted patient's compartment. */
    public AccessScope(Set<String> types, Set<String> patients, Set<String> openTypes, Set<String> unattachedTypes,
                       Set<Label> hiddenLabels, Map<String, List<String>> typeFilters) {
        this(types, patients, openTypes, unattachedTypes, hiddenLabels, typeFilters, Map.of());
    }

    /** A scope without reaches. */
    public AccessScope(Set<String> types, Set<String> patients, Set<String> openTypes, Set<String> unattachedTypes,
                       Set<Label> hiddenLabels, Map<String, List<String>> typeFilters,
                       Map<String, Set<String>> typePatients) {
        this(types, patients, openTypes, unattachedTypes, hiddenLabels, typeFilters, typePatients, Set.of());
    }

    public AccessScope {
        types = types == null ? null : Set.copyOf(types);
        patients = patients == null ? null : Set.copyOf(patients);
        openTypes = openTypes == null ? Set.of() : Set.copyOf(openTypes);
        unattachedTypes = unattachedTypes == null ? Set.of() : Set.copyOf(unattachedTypes);
        hiddenLabels = hiddenLabels == null ? Set.of() : Set.copyOf(hiddenLabels);
        typeFilters = typeFilters == null ? Map.of() : Map.copyOf(typeFilters);
        if (typePatients == null || typePatients.isEmpty()) {
            typePatients = Map.of();
        } else {
            Map<String, Set<String>> copy = new HashMap<>();
            typePatients.forEach((type, ids) -> copy.put(type, Set.copyOf(ids)));
            typePatients = Map.copyOf(copy);
        }
        // A reach with nothing to point at takes nothing in: left out, so it costs the SQL nothing.
        reaches = reaches == null ? Set.of() : reaches.stream()
                .filter(r -> !r.params().isEmpty() && !r.targets().isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Whether the scope restricts nothing, so no SQL need be added. */
    public boolean unrestricted() {
        return types == null && patients == null && hiddenLabels.isEmpty() && typeFilters.isEmpty()
                && typePatients.isEmpty();
    }

    /**
     * The same scope for rows all of {@code type}: its {@code typePatients} entry, if any, folded into
     * {@code patients} (so the rest of the scope applies as to any other type).
     */
    public AccessScope forType(String type) {
        Set<String> only = typePatients.get(type);
        if (only == null) {
            return this;
        }
        Set<String> narrowed = new HashSet<>(only);
        if (patients != null) {
            narrowed.retainAll(patients);
        }
        Set<String> open = new HashSet<>(openTypes);
        open.remove(type);
        return new AccessScope(types, narrowed, open, unattachedTypes, hiddenLabels, typeFilters, Map.of(), reaches);
    }

    /** The reaches that take in resources of the type. */
    public List<Reach> reachesOf(String type) {
        return reaches.stream().filter(r -> r.type().equals(type)).toList();
    }

    /** Whether resources of the type can be visible at all. */
    public boolean permitsType(String type) {
        return types == null || types.contains(type);
    }

    public AccessScope withTypes(Set<String> newTypes) {
        return new AccessScope(newTypes, patients, openTypes, unattachedTypes, hiddenLabels, typeFilters,
                typePatients, reaches);
    }

    /**
     * The scope confined to other compartments, and to them alone: its reaches, which let in resources of any
     * patient's compartment, are dropped.
     */
    public AccessScope withPatients(Set<String> newPatients, Set<String> newOpenTypes, Set<String> unattached) {
        return new AccessScope(types, newPatients, newOpenTypes, unattached, hiddenLabels, typeFilters,
                typePatients, Set.of());
    }

    public AccessScope withHiddenLabels(Set<Label> labels) {
        return new AccessScope(types, patients, openTypes, unattachedTypes, labels, typeFilters, typePatients,
                reaches);
    }

    public AccessScope withTypeFilters(Map<String, List<String>> filters) {
        return new AccessScope(types, patients, openTypes, unattachedTypes, hiddenLabels, filters, typePatients,
                reaches);
    }

    public AccessScope withTypePatients(Map<String, Set<String>> byType) {
        return new AccessScope(types, patients, openTypes, unattachedTypes, hiddenLabels, typeFilters, byType,
                reaches);
    }

    public AccessScope withReaches(Set<Reach> newReaches) {
        return new AccessScope(types, patients, openTypes, unattachedTypes, hiddenLabels, typeFilters,
                typePatients, newReaches);
    }
}
