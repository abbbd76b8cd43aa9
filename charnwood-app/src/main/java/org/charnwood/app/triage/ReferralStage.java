package org.charnwood.app.triage;

/** Where a referral is in triage, read from its status and its triage Tasks. */
public enum ReferralStage {
    /** Received (status {@code active}), no decision yet. */
    AWAITING_TRIAGE("Awaiting triage"),
    /** More information asked of the referrer (status {@code on-hold}). */
    ON_HOLD("Waiting for the referrer"),
    /** Accepted (status {@code active}, an accepted triage Task): on the waiting list until first seen. */
    ACCEPTED("Accepted"),
    /** Declined (status {@code revoked}, a rejected triage Task). */
    REJECTED("Rejected"),
    /** Sent on to another service (status {@code revoked}, a redirected triage Task). */
    REDIRECTED("Redirected"),
    /** Discharged or closed (status {@code completed}). */
    COMPLETED("Completed"),
    /** Any other status (entered in error, draft, unknown). */
    OTHER("Other");

    private final String label;

    ReferralStage(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
