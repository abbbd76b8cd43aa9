package org.charnwood.fhir.patch;

/** An operation that cannot be applied to the document as it stands; {@link JsonPatch} says which one. */
final class PatchConflict extends RuntimeException {
    PatchConflict(String message) {
        super(message, null, false, false);
    }
}
