package org.charnwood.app.security;

import java.util.List;
import java.util.Optional;

/**
 * The break-glass grants as information governance reviews them: listed, found, and marked reviewed once with a
 * note. A review commits in one transaction with its audit record ({@link BreakGlassReviewed}).
 */
public interface EmergencyAccessReviews {

    /** The longest reason for emergency access, or review note, that is kept: both are read by people. */
    int MAX_TEXT = 2000;

    /** Newest first: the grants still to review, or those reviewed. */
    List<BreakGlassGrant> list(boolean reviewed, int limit);

    Optional<BreakGlassGrant> find(String grantId);

    /**
     * Marks the grant reviewed by {@code reviewer} with the note; the grant as it now stands.
     *
     * @throws org.charnwood.fhir.FhirException 404 when there is no such grant, 409 when it was reviewed already
     */
    BreakGlassGrant review(String grantId, Requester reviewer, String note);
}
