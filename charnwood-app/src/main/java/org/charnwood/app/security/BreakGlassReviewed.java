package org.charnwood.app.security;

import java.time.Instant;

/**
 * An information governance officer has reviewed an emergency access, published inside the transaction that marks
 * the grant reviewed, so that the audit trail's record of the review commits with it or not at all.
 *
 * @param grantId   the grant reviewed
 * @param reviewer  who reviewed it
 * @param patientId the Patient resource id the grant opened
 * @param note      the reviewer's note
 * @param at        when it was reviewed
 */
public record BreakGlassReviewed(String grantId, Requester reviewer, String patientId, String note, Instant at) {
}
