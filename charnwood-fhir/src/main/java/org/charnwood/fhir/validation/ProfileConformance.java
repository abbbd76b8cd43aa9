package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;

import java.util.Collection;
import java.util.List;

/**
 * Checks resources against the profiles they claim: {@link CompiledProfileValidator} on every
 * write, {@link ProfileValidator} (HAPI's instance validator) for conformance testing.
 */
public interface ProfileConformance {

    /** True when the profile is one this validator can check (a constraint from a loaded package or R4). */
    boolean knows(String profileUrl);

    /**
     * The loaded packages' profiles of each resource type, which a resource of that type may claim and is then
     * checked against; empty when the validator cannot list them.
     */
    default java.util.Map<String, List<String>> packageProfilesByType() {
        return java.util.Map.of();
    }

    /** True when the url names a modifier extension a loaded package (or R4) defines. */
    boolean knowsModifierExtension(String url);

    /**
     * Validates against the profiles the resource (and any resource inside it) claims in
     * {@code meta.profile} and, in addition, {@code required}. Each issue's expression is the
     * FHIRPath of the element at fault.
     */
    List<OperationOutcomeIssueComponent> validate(Resource resource, Collection<String> required);

    /** Does the start-up work (loading and compiling definitions) now, so the first write does not wait. */
    void warmUp();
}
