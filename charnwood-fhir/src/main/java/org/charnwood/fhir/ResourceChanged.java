package org.charnwood.fhir;

import java.time.Instant;

/**
 * A committed change to one resource. Published through the transactional outbox after commit
 * (at least once; never for a rolled-back write). Listeners re-read the resource if they need
 * its content, so the event carries no patient data.
 */
public record ResourceChanged(long sequence, String resourceType, String resourceId, int version,
                              ChangeMethod method, Instant occurredAt) {
}
