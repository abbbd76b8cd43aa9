/**
 * The audit trail: every FHIR interaction, sign-in, sign-out, break-glass grant and refusal recorded as a
 * FHIR R4 AuditEvent in the shape of the IHE Basic Audit Log Patterns, in a hash-chained store of its
 * own. Request handlers use {@link org.charnwood.app.audit.AuditTrail} and
 * {@link org.charnwood.app.audit.AuditScope}; readers use {@link org.charnwood.app.audit.AuditLog}.
 * Records of writes commit in the write's transaction; records of reads commit before the response is sent.
 */
package org.charnwood.app.audit;
