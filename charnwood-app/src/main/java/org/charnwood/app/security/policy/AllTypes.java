package org.charnwood.app.security.policy;

import org.charnwood.fhir.FhirContexts;

import java.util.Set;

/** Every R4 resource type: what a scope or a role with no type restriction reaches. Loaded on first use. */
final class AllTypes {

    static final Set<String> TYPES = Set.copyOf(FhirContexts.r4().getResourceTypes());

    private AllTypes() {
    }
}
