package org.charnwood.fhir.validation;

import java.util.Map;
import java.util.Set;

/**
 * What a profile says about one element (or one slice of it) beyond base R4: tightened
 * cardinality, narrower types or reference targets, a fixed or pattern value, a required binding
 * to another value set, its own invariants, slicing, and the same for its children, by instance
 * property name. Elements the profile leaves as R4 has them are not compiled at all, so walking an
 * instance only stops where there is something to check.
 */
final class ProfileElement {
    static final ProfileElement[] NONE = new ProfileElement[0];

    /** The instance property name: {@code identifier}, or {@code value} for {@code value[x]}. */
    final String name;
    /** The element id in the profile, for messages: {@code Patient.identifier:nhsNumber.value}. */
    final String id;
    /** The canonical URL of the profile that says it, for messages. */
    final String profile;
    int min;
    /** {@link Integer#MAX_VALUE} for unbounded. */
    int max = Integer.MAX_VALUE;
    /** Whether min or max is tighter than base R4, so the count needs checking here. */
    boolean checkCardinality;
    /** Allowed model types of a choice element; null for any the base allows. */
    Set<String> types;
    /** Allowed reference target types; null for any the base allows. */
    Set<String> targets;
    ExpectedValue fixed;
    ExpectedValue pattern;
    RequiredBinding binding;
    Invariant[] invariants = new Invariant[0];
    /** Datatype profiles (not extensions) each value must also meet, by canonical URL. */
    String[] typeProfiles = new String[0];
    Map<String, ProfileElement> children = Map.of();
    Slicing slicing;

    ProfileElement(String name, String id, String profile) {
        this.name = name;
        this.id = id;
        this.profile = profile;
    }

    /** True when nothing here, or below, says more than base R4. */
    boolean isEmpty() {
        return !checkCardinality && types == null && targets == null && fixed == null && pattern == null
                && binding == null && invariants.length == 0 && typeProfiles.length == 0 && children.isEmpty()
                && slicing == null;
    }

    ProfileElement child(String childName) {
        return children.get(childName);
    }

    @Override
    public String toString() {
        return id;
    }
}
