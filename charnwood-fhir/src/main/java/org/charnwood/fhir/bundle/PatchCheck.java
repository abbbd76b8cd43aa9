package org.charnwood.fhir.bundle;

import org.hl7.fhir.r4.model.Resource;

/**
 * Looks at what a PATCH entry made, inside the entry's database transaction and before the bundle goes on. A
 * patch is a change whose result is not known until it is applied (and a conditional one, whose target is not
 * known until its URL is searched), so whoever guards the bundle's other entries from their request alone must
 * see this one's result: a refusal, thrown as a {@link org.charnwood.fhir.FhirException}, fails the entry and
 * rolls the patch back with its transaction.
 */
@FunctionalInterface
public interface PatchCheck {

    /** Accepts every patch: for bundles whose sender is trusted with the whole store (start-up loaders, tests). */
    PatchCheck NONE = (type, id, patched) -> {
    };

    /**
     * @param type    the resource type patched
     * @param id      the resource patched (for a conditional entry, the one its URL matched)
     * @param patched the resource as the patch left it
     */
    void check(String type, String id, Resource patched);

    /**
     * Looks at a POST or PUT entry whose references to other entries ({@code urn:uuid:}) or by criteria
     * ({@code Patient?identifier=…}) have just been resolved, before it is written: whoever judged the entry from its
     * request saw those references unresolved, so could not tell whose record it is about. A refusal fails the entry.
     *
     * @param create   whether the entry creates (POST) rather than updates (PUT)
     * @param type     the resource type
     * @param id       the id it is written under
     * @param resolved the resource with its references resolved
     */
    default void resolved(boolean create, String type, String id, Resource resolved) {
    }
}
