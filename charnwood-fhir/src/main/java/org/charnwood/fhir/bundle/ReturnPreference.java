package org.charnwood.fhir.bundle;

/**
 * What each write entry of a response carries, from the client's {@code Prefer: return=} header.
 * Reads always carry what they read.
 */
public enum ReturnPreference {
    /** Status, location and ETag only. */
    MINIMAL,
    /** The resource as stored (the default). */
    REPRESENTATION,
    /** An OperationOutcome describing what was done, in {@code response.outcome}. */
    OPERATION_OUTCOME
}
