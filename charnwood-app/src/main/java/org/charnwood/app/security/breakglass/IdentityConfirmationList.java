package org.charnwood.app.security.breakglass;

import org.charnwood.app.security.IdentityConfirmationReview;
import org.charnwood.app.security.IdentityConfirmationReviewed;
import org.charnwood.app.security.IdentityConfirmationReviews;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code access_identity_confirmation} table: identity confirmations on information governance's review list.
 * One is added in the transaction that links the referral (on its connection); a review is made once, in one
 * transaction with its audit record, as an emergency access's is ({@link BreakGlass}).
 */
@Component
class IdentityConfirmationList implements IdentityConfirmationReviews {

    private static final RowMapper<IdentityConfirmationReview> ROW = (rs, i) -> new IdentityConfirmationReview(
            rs.getString("confirmation_id"), rs.getString("referral_id"), rs.getString("referral_reference"),
            rs.getString("patient_id"), rs.getString("provisional_id"), rs.getString("how"), rs.getString("matched"),
            rs.getString("confirmed_by_subject"), rs.getString("confirmed_by"),
            rs.getTimestamp("confirmed_at").toInstant(), instant(rs.getTimestamp("reviewed_at")),
            rs.getString("reviewed_by"), rs.getString("review_note"));

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    IdentityConfirmationList(JdbcTemplate jdbc, ApplicationEventPublisher events, TransactionTemplate tx,
                             Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void add(Connection connection, IdentityConfirmationReview c) throws SQLException {
        try (var insert = connection.prepareStatement("""
                insert into access_identity_confirmation (confirmation_id, referral_id, referral_reference,
                       patient_id, provisional_id, how, matched, confirmed_by_subject, confirmed_by, confirmed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, c.id());
            insert.setString(2, c.referralId());
            insert.setString(3, c.referralReference());
            insert.setString(4, c.patientId());
            insert.setString(5, c.provisionalId());
            insert.setString(6, c.how());
            insert.setString(7, c.matched());
            insert.setString(8, c.confirmedBySubject());
            insert.setString(9, c.confirmedBy());
            insert.setTimestamp(10, Timestamp.from(c.confirmedAt()));
            insert.executeUpdate();
        }
    }

    @Override
    public List<IdentityConfirmationReview> list(Boolean reviewed, int limit) {
        String where = reviewed == null ? "" : reviewed ? " where reviewed_at is not null" : " where reviewed_at is null";
        // Still to review: oldest first, as a queue is worked; otherwise newest first.
        String order = Boolean.FALSE.equals(reviewed) ? " order by confirmed_at" : " order by confirmed_at desc";
        return jdbc.query("select * from access_identity_confirmation" + where + order + " limit ?", ROW, limit);
    }

    @Override
    public Optional<IdentityConfirmationReview> find(String id) {
        return jdbc.query("select * from access_identity_confirmation where confirmation_id = ?", ROW, id).stream()
                .findFirst();
    }

    @Override
    public IdentityConfirmationReview review(String id, Requester reviewer, String note) {
        Instant at = clock.instant();
        if (note != null && StatedReason.hasHiddenCharacters(note)) {
            throw BreakGlassEndpoint.invalid("A review note holds control or invisible characters; write it in plain"
                    + " text");
        }
        return tx.execute(status -> {
            IdentityConfirmationReview confirmation = find(id).orElseThrow(() -> FhirException.of(404,
                    ErrorCode.RESOURCE_NOT_FOUND, IssueType.NOTFOUND, "No such identity confirmation: " + id));
            if (OwnReview.isOwn(reviewer, confirmation.confirmedBySubject(), confirmation.confirmedBy())) {
                throw OwnReview.refused("identity confirmation");
            }
            int marked = jdbc.update("update access_identity_confirmation set reviewed_at = ?, reviewed_by = ?,"
                    + " review_note = ? where confirmation_id = ? and reviewed_at is null", Timestamp.from(at),
                    reviewer.subject(), note, id);
            if (marked != 1) {
                IdentityConfirmationReview first = find(id).orElseThrow();
                throw FhirException.of(409, ErrorCode.BREAK_GLASS_INVALID, IssueType.CONFLICT,
                        "This identity confirmation was reviewed already, by " + first.reviewedBy() + " at "
                                + first.reviewedAt());
            }
            events.publishEvent(new IdentityConfirmationReviewed(id, reviewer, confirmation.patientId(),
                    confirmation.referralId(), note, at));
            return find(id).orElseThrow();
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
