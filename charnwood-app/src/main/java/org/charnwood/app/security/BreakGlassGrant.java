package org.charnwood.app.security;

import java.time.Instant;

/** One emergency access grant, as stored and as listed for review. */
public record BreakGlassGrant(String id, String subject, String fhirUser, String patientId, String reason,
                              Instant grantedAt, Instant expiresAt, String sourceAddress, Instant reviewedAt,
                              String reviewedBy, String reviewNote) {
}
