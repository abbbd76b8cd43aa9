package org.charnwood.app.triage;

/**
 * Why a service declines a referral: the Charnwood code system
 * {@value #SYSTEM}, recorded as the triage Task's {@code statusReason}. SNOMED CT has no settled set of
 * referral rejection reasons for community services, so the trust keeps this short list (docs/referral-triage.md).
 */
public enum RejectionReason {
    OUTSIDE_CRITERIA("outside-criteria", "Does not meet the service's acceptance criteria"),
    OUT_OF_AREA("out-of-area", "Patient lives outside the area the service covers"),
    DUPLICATE("duplicate", "Duplicate of a referral already received"),
    NEEDS_EMERGENCY_CARE("needs-emergency-care", "Needs emergency or acute hospital care instead"),
    DECLINED_BY_PATIENT("declined-by-patient", "Patient does not want the referral"),
    INFORMATION_NOT_PROVIDED("information-not-provided", "Information asked of the referrer was not provided"),
    ALREADY_UNDER_CARE("already-under-care", "Patient is already under the service's care");

    public static final String SYSTEM = "https://charnwood.nhs.uk/fhir/CodeSystem/referral-rejection-reason";

    private final String code;
    private final String display;

    RejectionReason(String code, String display) {
        this.code = code;
        this.display = display;
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }

    /** The reason with this code, or null. */
    public static RejectionReason ofCode(String code) {
        for (RejectionReason r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        return null;
    }
}
