package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;

import java.time.Instant;
import java.util.Set;

/**
 * A local account: a member of staff, a patient or a carer who signs in to this server.
 *
 * @param id             stable account id (the token subject)
 * @param username       what they type to sign in
 * @param kind           staff, patient or carer
 * @param displayName    their name as shown on pages
 * @param passwordHash   Argon2id hash; null when they sign in only through a federated provider
 * @param fhirUser       {@code Practitioner/...}, {@code Patient/...} or {@code RelatedPerson/...}
 * @param patientId      a patient's own record, or the record a carer cares for
 * @param nhsNumber      a patient's NHS number, linking NHS login identities
 * @param roles          access roles (staff)
 * @param organisation   ODS code of the organisation staff act for
 * @param totpSecret     Base32 TOTP secret once enrolled
 * @param totpRequired   whether sign-in needs the second factor whatever the kind of account (staff need it
 *                       anyway outside the demo and dev profiles, see {@link StaffSecondFactor})
 * @param failedAttempts consecutive failed sign-ins
 * @param lockedUntil    locked out until then; null when not locked
 * @param enabled        disabled accounts cannot sign in
 * @param passwordChangeRequired the password was given by an administrator ({@code ./charnwood account add} or
 *                       {@code password}): the person chooses their own before the sign-in is finished
 *                       ({@link InitialPasswordChange})
 */
public record Account(String id, String username, Requester.Kind kind, String displayName, String passwordHash,
                      String fhirUser, String patientId, String nhsNumber, Set<AccessRole> roles,
                      String organisation, String totpSecret, boolean totpRequired, int failedAttempts,
                      Instant lockedUntil, boolean enabled, boolean passwordChangeRequired) {

    public Account {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** An account whose holder is not asked to change its password (demo, benchmark and federated accounts). */
    public Account(String id, String username, Requester.Kind kind, String displayName, String passwordHash,
                   String fhirUser, String patientId, String nhsNumber, Set<AccessRole> roles, String organisation,
                   String totpSecret, boolean totpRequired, int failedAttempts, Instant lockedUntil, boolean enabled) {
        this(id, username, kind, displayName, passwordHash, fhirUser, patientId, nhsNumber, roles, organisation,
                totpSecret, totpRequired, failedAttempts, lockedUntil, enabled, false);
    }

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    SignedInPerson signedIn(Instant at, String identityProofingLevel) {
        return new SignedInPerson(id, username, kind, fhirUser, roles, organisation, patientId,
                identityProofingLevel, at);
    }
}
