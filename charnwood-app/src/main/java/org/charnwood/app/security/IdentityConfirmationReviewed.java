package org.charnwood.app.security;

import java.time.Instant;

/**
 * An information governance officer has reviewed a triager's confirmation that a self-referral was an existing
 * patient's, published inside the transaction that marks it reviewed, so that the audit trail's record of the
 * review commits with it or not at all.
 *
 * @param confirmationId the confirmation reviewed
 * @param reviewer       who reviewed it
 * @param patientId      the record the referral was linked to
 * @param referralId     the self-referral
 * @param note           the reviewer's note
 * @param at             when it was reviewed
 */
public record IdentityConfirmationReviewed(String confirmationId, Requester reviewer, String patientId,
                                           String referralId, String note, Instant at) {
}
