package org.charnwood.app.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who is asking, as every access decision and every audit record needs it: the authenticated person or
 * system, the roles they act in, the client application they came through, the SMART scopes that client was
 * granted, and the launch context (patient, encounter) it carries. Built once per request by a
 * {@link RequesterSource} from the caller's credentials; never from anything the caller merely claims.
 *
 * @param kind            staff, patient, carer, a backend system, or nobody signed in
 * @param subject         the stable account or client identifier (token {@code sub})
 * @param fhirUser        the caller as a FHIR reference ({@code Practitioner/staff-001}, {@code Patient/p1},
 *                        {@code RelatedPerson/r1}); null for systems and anonymous callers
 * @param roles           the access roles the caller acts in (staff only; empty otherwise)
 * @param organisation    ODS code of the organisation the caller acts for; null when unknown
 * @param clientId        the OAuth client the request came through; null for direct sign-in to pages
 * @param scopes          SMART v2 scopes granted to this request, as issued (e.g. {@code patient/Observation.rs})
 * @param patientContext  the launch patient id (SMART {@code patient} context); null when none
 * @param encounterContext the launch encounter id; null when none
 * @param sourceAddress   the network address the request came from, for the audit trail
 * @param authenticatedAt when the caller authenticated; null for anonymous callers
 * @param identityProofingLevel how well an external identity provider proved a patient's or carer's identity
 *                        ({@code P9} high, {@code P5} medium, {@code P0} none, as NHS login reports it); null when
 *                        not applicable or when the trust itself verified the person
 */
public record Requester(Kind kind, String subject, String fhirUser, Set<AccessRole> roles, String organisation,
                        String clientId, List<String> scopes, String patientContext, String encounterContext,
                        String sourceAddress, Instant authenticatedAt, String identityProofingLevel) {

    /** A requester without an identity proofing level (staff, systems, trust-verified accounts). */
    public Requester(Kind kind, String subject, String fhirUser, Set<AccessRole> roles, String organisation,
                     String clientId, List<String> scopes, String patientContext, String encounterContext,
                     String sourceAddress, Instant authenticatedAt) {
        this(kind, subject, fhirUser, roles, organisation, clientId, scopes, patientContext, encounterContext,
                sourceAddress, authenticatedAt, null);
    }

    /** The kinds of caller the access policy tells apart. */
    public enum Kind { STAFF, PATIENT, CARER, SYSTEM, ANONYMOUS }

    public Requester {
        Objects.requireNonNull(kind, "kind");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** A caller with no credentials at all. */
    public static Requester anonymous(String sourceAddress) {
        return new Requester(Kind.ANONYMOUS, null, null, Set.of(), null, null, List.of(), null, null,
                sourceAddress, null, null);
    }

    public boolean hasRole(AccessRole role) {
        return roles.contains(role);
    }

    /** Whether a member of staff's roles include the activity (a patient, carer or system never does here). */
    public boolean permits(Activity activity) {
        return kind == Kind.STAFF && org.charnwood.app.security.policy.RoleActivities.of(roles).contains(activity);
    }

    /**
     * Whether a patient or carer proved their identity well enough to see health records: NHS login's P9, or an
     * account the trust verified itself. Lower levels (P5, P0) allow only limited features such as managing
     * contact details; everyone else is unaffected.
     */
    public boolean identityVerifiedForRecordAccess() {
        return (kind != Kind.PATIENT && kind != Kind.CARER) || identityProofingLevel == null
                || "P9".equals(identityProofingLevel);
    }

    /**
     * Whether the caller is linked to a Practitioner record: emergency access is granted to a practitioner, so an
     * account linked to none could hold a grant that opens nothing.
     */
    public boolean linkedToPractitioner() {
        return fhirUser != null && fhirUser.startsWith("Practitioner/") && fhirUser.length() > "Practitioner/".length();
    }
}
