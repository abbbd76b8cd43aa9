package org.charnwood.app.security.breakglass;

import org.charnwood.app.security.BreakGlassReviewed;
import org.charnwood.app.security.EmergencyAccessReviews;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.charnwood.app.security.BreakGlassGrant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;

/**
 * An information governance officer's review of an emergency access, for the review API and the audit module's
 * review pages alike.
 * The grant is marked reviewed once: a second review would overwrite the first officer's note and time, so it is
 * refused (409). The mark and the review's audit record (published as {@link BreakGlassReviewed} inside the
 * transaction) commit together.
 */
@Component
class BreakGlassReviews implements EmergencyAccessReviews {

    private final BreakGlassGrants grants;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    BreakGlassReviews(BreakGlassGrants grants, ApplicationEventPublisher events, TransactionTemplate tx, Clock clock) {
        this.grants = grants;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public java.util.List<BreakGlassGrant> list(boolean reviewed, int limit) {
        return grants.list(reviewed, limit);
    }

    @Override
    public java.util.Optional<BreakGlassGrant> find(String grantId) {
        return java.util.Optional.ofNullable(grants.find(grantId));
    }

    @Override
    public BreakGlassGrant review(String grantId, Requester reviewer, String note) {
        Instant at = clock.instant();
        return tx.execute(status -> {
            BreakGlassGrant grant = grants.find(grantId);
            if (grant == null) {
                throw FhirException.of(404, ErrorCode.RESOURCE_NOT_FOUND, IssueType.NOTFOUND,
                        "No such grant: " + grantId);
            }
            if (!grants.review(grantId, reviewer.subject(), note, at)) {
                BreakGlassGrant first = grants.find(grantId);
                throw FhirException.of(409, ErrorCode.BREAK_GLASS_INVALID, IssueType.CONFLICT,
                        "This emergency access was reviewed already, by " + first.reviewedBy() + " at "
                                + first.reviewedAt());
            }
            events.publishEvent(new BreakGlassReviewed(grantId, reviewer, grant.patientId(), note, at));
            return grants.find(grantId);
        });
    }
}
