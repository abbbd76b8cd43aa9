package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/**
 * The elements a search parameter's FHIRPath expression selects. Compiled once per parameter and
 * resource type, then evaluated for every resource written, so implementations must be thread-safe.
 */
public interface ElementPath {

    /**
     * Evaluates the expression.
     *
     * @param resource the resource being indexed ({@code %resource})
     * @param focus    the context: the resource itself, or for a composite component the element
     *                 the composite's own expression selected
     */
    List<Base> select(Resource resource, Base focus);
}
