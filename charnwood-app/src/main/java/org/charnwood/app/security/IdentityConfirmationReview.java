package org.charnwood.app.security;

import java.time.Instant;

/**
 * A triager's confirmation that a self-referral was sent by the patient of an existing record, as stored for
 * information governance to review. Linking gives the service's staff a relationship with that record on the
 * triager's judgement alone, so it is reviewed as emergency access is.
 *
 * @param id                 the confirmation on the review list
 * @param referralId         the ServiceRequest id of the self-referral
 * @param referralReference  the reference people quote for it; null when it has none
 * @param patientId          the existing record the referral was linked to
 * @param provisionalId      the provisional record made from the details the person gave
 * @param how                how the record was chosen: {@code matched} (the one the details matched when the
 *                           referral came in) or {@code existing} (another, named by NHS number)
 * @param matched            what of the details given matched the record, and what did not, in words
 * @param confirmedBySubject the account of whoever confirmed it
 * @param confirmedBy        whoever confirmed it, as a FHIR reference (the account when they have none)
 * @param confirmedAt        when
 * @param reviewedAt         when information governance reviewed it; null while it waits
 * @param reviewedBy         who reviewed it (their account); null while it waits
 * @param reviewNote         the reviewer's note; null while it waits
 */
public record IdentityConfirmationReview(String id, String referralId, String referralReference, String patientId,
                                         String provisionalId, String how, String matched, String confirmedBySubject,
                                         String confirmedBy, Instant confirmedAt, Instant reviewedAt,
                                         String reviewedBy, String reviewNote) {

    /** The record was the one the person's details matched when the referral came in. */
    public static final String MATCHED = "matched";
    /** The record was another, named by its NHS number at triage. */
    public static final String EXISTING = "existing";

    /** How the record was chosen, in words. */
    public String howLabel() {
        return EXISTING.equals(how) ? "Another record, named by NHS number at triage"
                : "The record the details matched when the referral came in";
    }
}
