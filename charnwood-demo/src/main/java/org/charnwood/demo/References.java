package org.charnwood.demo;

import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/** Finds every Reference in a resource tree, so references can be checked or re-pointed wherever they sit. */
final class References {
    private References() {
    }

    static List<Reference> in(Resource resource) {
        return FhirContexts.r4().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class);
    }

    /** The literal references (not contained ones) in a resource tree. */
    static List<String> literal(Resource resource) {
        return FhirContexts.r4().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class).stream()
                .map(Reference::getReference)
                .filter(r -> r != null && !r.startsWith("#"))
                .toList();
    }
}
