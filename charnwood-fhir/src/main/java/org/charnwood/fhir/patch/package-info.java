/**
 * The FHIR patch interaction's JSON Patch support: RFC 6902 operations over RFC 6901 JSON Pointers,
 * applied to a resource's stored JSON on Jackson trees, plus the FHIR rules on top (a patch may not
 * change a resource's {@code id} or {@code resourceType}, and decimals keep their written precision).
 * Storing the patched result, with its version checks and validation, is the write session's job.
 */
package org.charnwood.fhir.patch;
