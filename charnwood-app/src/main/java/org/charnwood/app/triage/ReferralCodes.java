package org.charnwood.app.triage;

/** The URLs and codes of the referral contract, in one place. */
final class ReferralCodes {

    static final String RECEIVED = "https://charnwood.nhs.uk/fhir/StructureDefinition/referral-received";
    static final String SOURCE = "https://charnwood.nhs.uk/fhir/StructureDefinition/referral-source";
    static final String REFERRAL_ID = "https://charnwood.nhs.uk/fhir/Id/referral";
    static final String TASK_CODES = "https://charnwood.nhs.uk/fhir/CodeSystem/referral-task";
    static final String TRIAGE = "triage";
    static final String INFORMATION_REQUEST = "information-request";
    static final String ACCEPTED = "accepted";
    static final String REJECTED = "rejected";
    static final String REDIRECTED = "redirected";
    static final String INFORMATION_REQUESTED = "information-requested";
    static final String HEALTHCARE_SERVICE = "HealthcareService/";
    /** Marks a self-referral, and the provisional Patient stored with it, until triage confirms who sent it. */
    static final String IDENTITY_STATUS = org.charnwood.app.security.ProvisionalRecords.IDENTITY_STATUS;
    static final String UNVERIFIED = org.charnwood.app.security.ProvisionalRecords.UNVERIFIED;
    /** On a self-referral: the existing record the person's details matched when it came in. */
    static final String POSSIBLE_IDENTITY_MATCH =
            "https://charnwood.nhs.uk/fhir/StructureDefinition/possible-identity-match";
    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private ReferralCodes() {
    }
}
