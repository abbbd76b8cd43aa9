package org.charnwood.app.referrals;

/** The canonical URLs and code systems the referral contract names. */
final class ReferralCodes {

    static final String BASE = "https://charnwood.nhs.uk/fhir/";
    static final String SD = BASE + "StructureDefinition/";
    static final String PATHWAY_URL_PREFIX = BASE + "PlanDefinition/";
    static final String QUESTIONNAIRE_URL_PREFIX = BASE + "Questionnaire/";
    static final String PATHWAY_SERVICE = SD + "pathway-service";
    static final String SELF_REFERRAL_ALLOWED = SD + "self-referral-allowed";
    static final String REFERRAL_PRIORITY = SD + "referral-priority";
    static final String REFERRAL_CRITERION = SD + "referral-criterion";
    static final String REFERRAL_RECEIVED = SD + "referral-received";
    static final String REFERRAL_SOURCE = SD + "referral-source";
    static final String REFERRAL_SOURCE_SYSTEM = BASE + "CodeSystem/referral-source";
    static final String REFERRAL_CLOCK = BASE + "CodeSystem/referral-clock";
    static final String REFERRAL_IDENTIFIER = BASE + "Id/referral";
    /** Marks a Patient or referral whose identity was given by the person and not yet checked (self-referral). */
    static final String IDENTITY_STATUS = org.charnwood.app.security.ProvisionalRecords.IDENTITY_STATUS;
    /**
     * On a self-referral: the existing record the person's details match, for triage to link the referral to
     * once the person's identity is confirmed.
     */
    static final String POSSIBLE_IDENTITY_MATCH = SD + "possible-identity-match";
    static final String SNOMED = "http://snomed.info/sct";
    static final String PATIENT_REFERRAL = "3457005";

    private ReferralCodes() {
    }
}
