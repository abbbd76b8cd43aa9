package org.charnwood.app.fhirapi;

import org.hl7.fhir.r4.model.OperationDefinition;

/**
 * An operation of ours whose OperationDefinition the server publishes ({@code OperationDefinition/[id]}, named by
 * the CapabilityStatement), whether it is a {@link FhirOperation} or one the endpoint routes itself because it
 * does not take a FHIR resource as its body ({@code $import} takes raw NDJSON).
 */
public interface PublishedOperation {

    /** What the operation is: its canonical url, code, levels and parameters. Read once at start-up. */
    OperationDefinition definition();
}
