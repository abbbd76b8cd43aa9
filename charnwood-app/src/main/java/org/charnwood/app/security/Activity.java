package org.charnwood.app.security;

/**
 * What a member of staff may do, independent of any one patient. Each {@link AccessRole} grants a fixed set
 * (the table is {@code RoleActivities}); whether they may do it for a given patient is then a matter of
 * legitimate relationship, sensitivity labels and the SMART scopes of the client they use.
 */
public enum Activity {
    /** Read demographics and administration: Patient, RelatedPerson, appointments, referrals, episodes. */
    VIEW_DEMOGRAPHICS,
    /** Read the clinical record of patients they have a legitimate relationship with. */
    VIEW_CLINICAL_RECORD,
    /** Record and amend clinical content for those patients. */
    WRITE_CLINICAL_RECORD,
    /** See entries labelled restricted ({@code R}) and the sealed sensitive categories. */
    VIEW_RESTRICTED,
    /** See entries labelled very restricted ({@code V}). */
    VIEW_VERY_RESTRICTED,
    /** Register patients, book appointments, manage referrals and episodes. */
    WRITE_ADMINISTRATION,
    /** Open a record without a relationship in an emergency, recorded for review. */
    BREAK_GLASS,
    /**
     * Triage referrals to a service (accept, reject, redirect, ask the referrer for more): only for members of
     * that service, which the policy checks per service ({@link AccessPolicy#triage}).
     */
    TRIAGE,
    /**
     * Take on or decline an escalation for a deteriorating patient (a NEWS2 escalation Task) addressed to them or
     * their team: registered clinicians, not support workers.
     */
    RESPOND_TO_ESCALATION,
    /** Pseudonymised and aggregate reporting (no direct access to records). */
    ANALYTICS,
    /** Review the audit trail and emergency access. */
    AUDIT_REVIEW,
    /** Maintain reference data (practitioners, organisations, locations, services) and configuration. */
    SYSTEM_ADMINISTRATION
}
