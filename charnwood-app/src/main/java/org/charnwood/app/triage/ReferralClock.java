package org.charnwood.app.triage;

/**
 * The clocks a referral runs, with their codes in the Charnwood referral-clock code system (the codes a
 * pathway's {@code PlanDefinition.goal.target.measure} uses to set their targets).
 */
public enum ReferralClock {
    /** Received until the first triage decision of any kind. */
    REFERRAL_TO_TRIAGE("referral-to-triage", "Referral to triage"),
    /** Received until the first attended contact (face to face or virtual). */
    REFERRAL_TO_FIRST_CONTACT("referral-to-first-contact", "Referral to first contact"),
    /** The 2-hour urgent community response: received until the first face-to-face contact starts. */
    URGENT_RESPONSE("urgent-response", "2-hour urgent community response"),
    /** The 2-day reablement standard: received until the first attended contact of the reablement service. */
    REABLEMENT("reablement", "2-day reablement");

    public static final String SYSTEM = "https://charnwood.nhs.uk/fhir/CodeSystem/referral-clock";

    private final String code;
    private final String label;

    ReferralClock(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public String code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** The clock with this code, or null. */
    public static ReferralClock ofCode(String code) {
        for (ReferralClock c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }

    /** Whether an event stops this clock. */
    boolean stoppedBy(ClockEvent event) {
        return switch (this) {
            case REFERRAL_TO_TRIAGE -> event.kind() == ClockEvent.Kind.TRIAGE_DECISION;
            case REFERRAL_TO_FIRST_CONTACT, REABLEMENT -> event.kind() != ClockEvent.Kind.TRIAGE_DECISION;
            // A telephone or video call does not stop the 2-hour clock: the person must be seen.
            case URGENT_RESPONSE -> event.kind() == ClockEvent.Kind.FACE_TO_FACE_CONTACT;
        };
    }
}
