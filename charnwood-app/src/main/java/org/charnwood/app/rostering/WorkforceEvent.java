package org.charnwood.app.rostering;

import java.time.Instant;

/**
 * Something a person did to a roster, a shift or a request, published inside the transaction that makes the change,
 * so that the audit trail records it in that transaction as the signed-in person's (or, outside a request, the
 * application's own). No patient data: the detail names the unit, date and shift only.
 *
 * @param action {@code shift-booked}, {@code shift-cancelled}, {@code request-made}, {@code request-approved},
 *               {@code request-declined}, {@code roster-planned} or {@code roster-published}
 * @param detail what it was about, in words (e.g. "shift 12: Ward 3 2026-12-07 LATE")
 * @param at     when
 */
public record WorkforceEvent(String action, String detail, Instant at) {
}
