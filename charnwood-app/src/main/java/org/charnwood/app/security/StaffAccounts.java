package org.charnwood.app.security;

import java.util.Optional;

/**
 * Staff sign-in accounts as other modules may know them: enough to find a member of staff who has no Practitioner
 * record (administrative staff, analysts, information governance) and to read the audit trail as them.
 */
public interface StaffAccounts {

    /**
     * A member of staff's account.
     *
     * @param auditName   how the audit trail names them: their FHIR reference, else the account id
     * @param username    what they sign in with
     * @param displayName the account's name for people
     */
    record StaffAccount(String auditName, String username, String displayName) {
    }

    /** The staff account with this user name (in any case). */
    Optional<StaffAccount> byUsername(String username);

    /** The staff account the audit trail names so (a FHIR reference or an account id). */
    Optional<StaffAccount> byAuditName(String auditName);
}
