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
 */
public record Requester(Kind kind, String subject, String fhirUser, Set<AccessRole> roles, String organisation,
                        String clientId, List<String> scopes, String patientContext, String encounterContext,
                        String sourceAddress, Instant authenticatedAt) {

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
                sourceAddress, null);
    }

    public boolean hasRole(AccessRole role) {
        return roles.contains(role);
    }
}
