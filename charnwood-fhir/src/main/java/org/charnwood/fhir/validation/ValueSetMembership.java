package org.charnwood.fhir.validation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The expansion of a value set that can be expanded from local code systems alone, as system to
 * codes. Value sets that need a terminology server (SNOMED CT, UCUM, BCP-47 languages, filters)
 * are {@link #UNCHECKABLE}: the base validator then leaves them alone rather than guess.
 */
final class ValueSetMembership {
    static final ValueSetMembership UNCHECKABLE = new ValueSetMembership(null, Map.of());

    final String url;
    private final Map<String, Set<String>> codesBySystem;

    ValueSetMembership(String url, Map<String, Set<String>> codesBySystem) {
        this.url = url;
        this.codesBySystem = codesBySystem;
    }

    boolean checkable() {
        return this != UNCHECKABLE;
    }

    boolean contains(String system, String code) {
        Set<String> codes = codesBySystem.get(system);
        return codes != null && codes.contains(code);
    }

    /** For a bare code element, where the system is implied by the binding. */
    boolean containsCode(String code) {
        for (Set<String> codes : codesBySystem.values()) {
            if (codes.contains(code)) {
                return true;
            }
        }
        return false;
    }

    static final class Builder {
        private final Map<String, Set<String>> codes = new HashMap<>();

        void add(String system, String code) {
            codes.computeIfAbsent(system, s -> new HashSet<>()).add(code);
        }

        void addAll(String system, Set<String> more) {
            codes.computeIfAbsent(system, s -> new HashSet<>()).addAll(more);
        }

        void remove(String system, String code) {
            Set<String> set = codes.get(system);
            if (set != null) {
                set.remove(code);
            }
        }

        void addAll(ValueSetMembership other) {
            other.codesBySystem.forEach(this::addAll);
        }

        ValueSetMembership build(String url) {
            return new ValueSetMembership(url, codes);
        }
    }
}
