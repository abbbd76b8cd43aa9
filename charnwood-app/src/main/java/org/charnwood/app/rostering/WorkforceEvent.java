package org.charnwood.app.rostering;

import org.charnwood.app.security.Requester;

import java.time.Instant;

/**
 * Something a person did to a roster, a shift or a request, published after it committed so that the audit trail
 * records it as an AuditEvent. No patient data: the detail names the unit, date and shift only.
 *
 * @param requester who did it
 * @param action    {@code shift-booked}, {@code shift-cancelled}, {@code request-made}, {@code request-approved},
 *                  {@code request-declined}, {@code roster-planned} or {@code roster-published}
 * @param detail    what it was about, in words (e.g. "shift 12: Ward 3 2026-12-07 LATE")
 */
public record WorkforceEvent(Requester requester, String action, String detail, Instant at) {
}
