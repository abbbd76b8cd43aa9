/**
 * The FHIR R4 REST endpoint at {@code /fhir}: HTTP in, OperationOutcome or resources out.
 * Reads and writes only through {@link org.charnwood.fhir.FhirRepository}; never touches the
 * database directly, and never logs request content.
 */
package org.charnwood.app.fhirapi;
