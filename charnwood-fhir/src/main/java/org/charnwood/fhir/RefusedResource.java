package org.charnwood.fhir;

import org.hl7.fhir.r4.model.Resource;

/**
 * A refusal of one resource of several written together ({@link WriteSession#importAll}): the same status and
 * outcome as the refusal itself, and which resource it was, so a bulk import can name the line it came from.
 */
public final class RefusedResource extends FhirException {

    private final transient Resource resource;

    RefusedResource(Resource resource, FhirException refusal) {
        super(refusal.status(), refusal.outcome());
        initCause(refusal);
        this.resource = resource;
    }

    /** The resource refused, as it was handed to the write. */
    public Resource resource() {
        return resource;
    }

    /** {@code Type/id}. */
    public String key() {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}
