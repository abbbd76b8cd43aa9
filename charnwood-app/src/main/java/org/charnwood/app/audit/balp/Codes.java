package org.charnwood.app.audit.balp;

/** A code from a code system, as AuditEvent codings carry them. */
public record Codes(String system, String code, String display) {

    public static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    public static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    public static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public static final String CHARNWOOD_SUBTYPE = "https://charnwood.nhs.example/fhir/CodeSystem/audit-subtype";

    /** REST interactions (read, search, create ...). */
    public static final Codes REST = new Codes(AUDIT_EVENT_TYPE, "rest", "Restful Operation");
    /** Sign-in and sign-out. */
    public static final Codes USER_AUTHENTICATION = new Codes(DICOM, "110114", "User Authentication");
    public static final Codes LOGIN = new Codes(DICOM, "110122", "Login");
    public static final Codes LOGOUT = new Codes(DICOM, "110123", "Logout");
    /** Break-glass grants are security alerts for the privacy officer. */
    public static final Codes SECURITY_ALERT = new Codes(DICOM, "110113", "Security Alert");
    public static final Codes BREAK_GLASS = new Codes(CHARNWOOD_SUBTYPE, "break-glass", "Emergency access granted");
    public static final Codes BREAK_GLASS_REVIEW = new Codes(CHARNWOOD_SUBTYPE, "break-glass-review",
            "Emergency access reviewed");
    public static final Codes IDENTITY_CONFIRMATION_REVIEW = new Codes(CHARNWOOD_SUBTYPE,
            "identity-confirmation-review", "Identity confirmation reviewed");
    /** A patient or carer allowed an app to use a record, or stopped it: the app's permissions on it changed. */
    public static final Codes SECURITY_ATTRIBUTES_CHANGED = new Codes(DICOM, "110137", "User Security Attributes Changed");
    /**
     * A local account created, disabled, enabled, given a new password or its authenticator reset by an
     * administrator ({@code ./charnwood account}).
     */
    public static final Codes ACCOUNT_ADMINISTRATION = new Codes(CHARNWOOD_SUBTYPE, "account-administration",
            "Account administration");
    /** A person chose their own password in place of the one an administrator gave them. */
    public static final Codes OWN_PASSWORD_CHOSEN = new Codes(CHARNWOOD_SUBTYPE, "own-password-chosen",
            "Own password chosen");
    public static final Codes FEDERATED_IDENTITY_LINKED = new Codes(CHARNWOOD_SUBTYPE, "federated-identity-linked",
            "Identity provider sign-in linked to a local account");
    public static final Codes APP_ACCESS_ALLOWED = new Codes(CHARNWOOD_SUBTYPE, "app-access-allowed",
            "App allowed to use a record");
    public static final Codes APP_ACCESS_STOPPED = new Codes(CHARNWOOD_SUBTYPE, "app-access-stopped",
            "App stopped from using a record");
    /** Bulk import (the recipient side of a disclosure). */
    public static final Codes IMPORT = new Codes(DICOM, "110107", "Import");
    public static final Codes EXPORT = new Codes(DICOM, "110106", "Export");
    public static final Codes BTG = new Codes(ACT_REASON, "BTG", "break the glass");
    /** A page of the application's own web pages that showed or changed a record (BALP has no pattern for it). */
    public static final Codes PATIENT_RECORD = new Codes(DICOM, "110110", "Patient Record");
    public static final Codes PAGE = new Codes(CHARNWOOD_SUBTYPE, "page", "Web page");

    public static Codes interaction(String code) {
        return new Codes(RESTFUL_INTERACTION, code, code);
    }

    public String token() {
        return system + "|" + code;
    }
}
