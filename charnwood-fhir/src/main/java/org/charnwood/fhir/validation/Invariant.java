package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.fhirpath.ExpressionNode;

/**
 * A FHIRPath invariant from an R4 definition, parsed once.
 *
 * @param key        the constraint key, for example {@code per-1}
 * @param error      true for error severity; false for warnings
 * @param human      the constraint's description, used as the message
 * @param expression the parsed FHIRPath
 */
record Invariant(String key, boolean error, String human, ExpressionNode expression) {
}
