package org.charnwood.app.security;

import java.util.List;

/**
 * A patient or carer allowed an app to use a record, or stopped it. Published inside the transaction that stores
 * the answer, so that the audit trail's record of it commits with the answer or not at all: a patient can later see
 * when they let an app in, and the trust can show who allowed it.
 *
 * @param person    who answered (a patient, or a carer for the record they care for)
 * @param clientId  the app's OAuth client id
 * @param scopes    what the app may now do (empty when stopped)
 * @param patientId the Patient the record belongs to
 * @param allowed   true when allowed, false when stopped
 * @param tokensEnded how many of the app's sign-ins (access and refresh tokens) were ended with it
 */
public record AppAccessChanged(Requester person, String clientId, List<String> scopes, String patientId,
                               boolean allowed, int tokensEnded) {

    public AppAccessChanged {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
