package org.charnwood.fhir.validation;

import java.util.Set;

/**
 * What the R4 definition says about one child element: how often it may appear, which types it
 * may hold, what its own children are (for backbone elements), the value set a required binding
 * names and the invariants declared on it.
 */
final class ElementRule {

    /** Elements that need walking in a way of their own rather than by their declared type. */
    enum Kind { PLAIN, RESOURCE_ID, ELEMENT_ID, EXTENSION_URL, NARRATIVE_DIV, RESOURCE }

    final String name;
    final int hash;
    final int min;
    /** {@link Integer#MAX_VALUE} for unbounded. */
    final int max;
    final Kind kind;
    /** The declared type codes, for example {@code CodeableConcept}; several for a choice. */
    final String[] types;
    /** For choice elements: the allowed model type names; null otherwise. */
    final Set<String> choiceTypes;
    /** For Reference elements: allowed target resource types; null when any resource may be referenced. */
    final Set<String> referenceTargets;
    /** Extra type-level rules from a core datatype profile such as SimpleQuantity, or null. */
    final String typeProfile;
    final String definitionPath;
    TypeRules backbone;
    RequiredBinding binding;
    Invariant[] invariants = new Invariant[0];

    ElementRule(String name, int min, int max, Kind kind, String[] types, Set<String> choiceTypes,
                Set<String> referenceTargets, String typeProfile, String definitionPath) {
        this.name = name;
        this.hash = name.hashCode();
        this.min = min;
        this.max = max;
        this.kind = kind;
        this.types = types;
        this.choiceTypes = choiceTypes;
        this.referenceTargets = referenceTargets;
        this.typeProfile = typeProfile;
        this.definitionPath = definitionPath;
    }

    boolean repeats() {
        return max != 1;
    }

    boolean choice() {
        return choiceTypes != null;
    }

    /** The single declared type, or null for a choice or a backbone element. */
    String type() {
        return types.length == 1 ? types[0] : null;
    }

    /** The JSON property name for a choice holding {@code modelType}, for example valueQuantity. */
    String choiceJsonName(String modelType) {
        return name + Character.toUpperCase(modelType.charAt(0)) + modelType.substring(1);
    }

    @Override
    public String toString() {
        return definitionPath;
    }
}
