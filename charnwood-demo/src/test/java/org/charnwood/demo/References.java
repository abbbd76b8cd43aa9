package org.charnwood.demo;

import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/** Collects every literal reference in a resource tree, for tests that check references resolve. */
final class References {
    private References() {
    }

    static List<String> in(Resource resource) {
        return FhirContexts.r4().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class).stream()
                .map(Reference::getReference)
                .filter(r -> r != null && !r.startsWith("#"))
                .toList();
    }
}
