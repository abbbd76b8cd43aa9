package org.charnwood.app.fhirapi;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeDeclaredChildDefinition;
import org.charnwood.fhir.FhirContexts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The top-level elements a trimmed resource keeps whatever was asked for, as encoder paths: those its type must have
 * (minimum cardinality of one or more), so it is still a valid resource, and, where its narrative is not sent, the
 * modifier elements, which change the meaning of the rest (R4 search.html has clients ask for them, and lets a
 * server return more than asked; a Patient's name without {@code active: false} or {@code deceasedBoolean: true}
 * would be read as a living, current patient's). {@code _summary=text} sends the narrative, which R4 has reflect
 * every modifier, so it keeps the mandatory elements only, as R4 defines it.
 */
final class KeptElements {

    private static final Map<String, List<String>> MANDATORY = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> MANDATORY_AND_MODIFIERS = new ConcurrentHashMap<>();

    private KeptElements() {
    }

    /** {@code Type.element} for every mandatory top-level element of each of these types. */
    static Set<String> mandatory(Collection<String> types) {
        return collect(types, MANDATORY, false);
    }

    /** {@code Type.element} for every mandatory or modifier top-level element of each of these types. */
    static Set<String> mandatoryAndModifiers(Collection<String> types) {
        return collect(types, MANDATORY_AND_MODIFIERS, true);
    }

    private static Set<String> collect(Collection<String> types, Map<String, List<String>> cache, boolean modifiers) {
        Set<String> paths = new TreeSet<>();
        for (String type : types) {
            paths.addAll(cache.computeIfAbsent(type, t -> find(t, modifiers)));
        }
        return paths;
    }

    private static List<String> find(String type, boolean modifiers) {
        List<String> paths = new ArrayList<>();
        for (BaseRuntimeChildDefinition child : FhirContexts.r4().getResourceDefinition(type).getChildrenAndExtension()) {
            if (child.getMin() > 0
                    || modifiers && child instanceof BaseRuntimeDeclaredChildDefinition declared && declared.isModifier()) {
                paths.add(type + "." + child.getElementName());
            }
        }
        return List.copyOf(paths);
    }
}
