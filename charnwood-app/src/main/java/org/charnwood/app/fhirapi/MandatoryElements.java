package org.charnwood.app.fhirapi;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import org.charnwood.fhir.FhirContexts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The top-level elements each resource type must have (minimum cardinality of one or more), as encoder paths. */
final class MandatoryElements {

    private static final Map<String, List<String>> BY_TYPE = new ConcurrentHashMap<>();

    private MandatoryElements() {
    }

    /** {@code Type.element} for every mandatory top-level element of each of these types. */
    static Set<String> of(Collection<String> types) {
        Set<String> paths = new TreeSet<>();
        for (String type : types) {
            paths.addAll(BY_TYPE.computeIfAbsent(type, MandatoryElements::find));
        }
        return paths;
    }

    private static List<String> find(String type) {
        List<String> paths = new ArrayList<>();
        for (BaseRuntimeChildDefinition child : FhirContexts.r4().getResourceDefinition(type).getChildren()) {
            if (child.getMin() > 0) {
                paths.add(type + "." + child.getElementName());
            }
        }
        return List.copyOf(paths);
    }
}
