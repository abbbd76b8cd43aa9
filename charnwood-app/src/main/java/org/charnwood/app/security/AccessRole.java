package org.charnwood.app.security;

/**
 * The roles staff act in, modelled on the NHS national RBAC access roles (the SDS job-role codes a smartcard
 * or CIS2 identity carries). Each role is mapped to the activities it permits by the access policy; a
 * person may hold several.
 */
public enum AccessRole {
    /** Doctors and advanced practitioners: full clinical record, prescribing (RBAC R8000). */
    CLINICIAN("R8000", "Clinical Practitioner Access Role"),
    /** Registered nurses (RBAC R8001). */
    REGISTERED_NURSE("R8001", "Nurse Access Role"),
    /** Therapists, psychologists and other registered health professionals (RBAC R8003). */
    HEALTH_PROFESSIONAL("R8003", "Health Professional Access Role"),
    /** Nurse in charge of a ward or team lead: as a registered nurse, plus escalation and team oversight. */
    NURSE_MANAGER("R8002", "Nurse Manager Access Role"),
    /** Healthcare assistants and support workers: observations and care notes, no sensitive records. */
    HEALTH_CARE_ASSISTANT("R8008", "Admin/Clinical Support Access Role"),
    /** Booking and admin staff: demographics, referrals, appointments; no clinical content. */
    ADMIN_BOOKING("R8010", "Clerical Access Role"),
    /** Analysts: pseudonymised and aggregate reporting; no direct patient records. */
    ANALYST("R8012", "Information Officer Access Role"),
    /** Information governance officer: the audit trail and break-glass reviews. */
    INFORMATION_GOVERNANCE("R0001", "Privacy Officer"),
    /** System administrator: configuration, clients, accounts; no patient data by default. */
    SYSTEM_ADMINISTRATOR("R8015", "Systems Support Access Role");

    private final String rbacCode;
    private final String rbacDisplay;

    AccessRole(String rbacCode, String rbacDisplay) {
        this.rbacCode = rbacCode;
        this.rbacDisplay = rbacDisplay;
    }

    /** The national RBAC role code this role is modelled on. */
    public String rbacCode() {
        return rbacCode;
    }

    public String rbacDisplay() {
        return rbacDisplay;
    }
}
