package org.charnwood.app.security.accounts;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;

import java.io.Serializable;
import java.security.Principal;
import java.time.Instant;
import java.util.Set;

/**
 * A person signed in to this server (by password and second factor, or through a federated provider), as kept
 * in their session and copied into the tokens issued to the apps they authorise. As a {@link Principal} its name
 * is the account id, so that is what the authorisation server stores as the grant's principal and issues as the
 * tokens' {@code sub} (otherwise Spring Security would fall back to the record's text, roles and all).
 *
 * @param accountId              the local account id (token {@code sub})
 * @param username               the account name
 * @param kind                   staff, patient or carer
 * @param fhirUser               the person as a FHIR reference
 * @param roles                  access roles (staff)
 * @param organisation           ODS code of the organisation staff act for
 * @param patientId              the patient's own record, or the record a carer cares for
 * @param identityProofingLevel  {@code P9}, {@code P5}, ... for people proven by an external provider; null for
 *                               accounts the trust set up itself
 * @param authenticatedAt        when they signed in
 */
public record SignedInPerson(String accountId, String username, Requester.Kind kind, String fhirUser,
                             Set<AccessRole> roles, String organisation, String patientId,
                             String identityProofingLevel, Instant authenticatedAt) implements Principal, Serializable {

    public SignedInPerson {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    @Override
    public String getName() {
        return accountId;
    }

    /** The person as a requester of pages on this server (no client, no scopes). */
    public Requester asRequester(String sourceAddress) {
        return new Requester(kind, accountId, fhirUser, roles, organisation, null, java.util.List.of(),
                null, null, sourceAddress, authenticatedAt, identityProofingLevel);
    }
}
