package org.charnwood.app.security;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Identity confirmations on information governance's review list, beside emergency access
 * ({@link EmergencyAccessReviews}): added in the transaction that links the referral, listed, found, and marked
 * reviewed once with a note. A review commits in one transaction with its audit record
 * ({@link IdentityConfirmationReviewed}).
 */
public interface IdentityConfirmationReviews {

    /**
     * Puts the confirmation on the review list, on the connection of the transaction that links the referral, so
     * that the link and its place on the list commit together or not at all.
     */
    void add(Connection connection, IdentityConfirmationReview confirmation) throws SQLException;

    /** Still to review (oldest first, as a queue is worked), reviewed (newest first), or all when null. */
    List<IdentityConfirmationReview> list(Boolean reviewed, int limit);

    Optional<IdentityConfirmationReview> find(String id);

    /**
     * Marks the confirmation reviewed by {@code reviewer} with the note; the confirmation as it now stands.
     *
     * @throws org.charnwood.fhir.FhirException 404 when there is no such confirmation, 409 when it was reviewed
     *                                          already
     */
    IdentityConfirmationReview review(String id, Requester reviewer, String note);
}
