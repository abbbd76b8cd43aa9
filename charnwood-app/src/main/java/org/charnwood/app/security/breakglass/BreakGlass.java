package org.charnwood.app.security.breakglass;

import org.charnwood.app.security.BreakGlassGrant;
import org.charnwood.app.security.BreakGlassGranted;
import org.charnwood.app.security.BreakGlassReviewed;
import org.charnwood.app.security.EmergencyAccessReviews;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.policy.AccessSettings;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Emergency access, granted and reviewed: the one place either is stored, for the break-glass API, the demo and the
 * audit module's review pages alike. Each is stored in one transaction with its audit record (published as
 * {@link BreakGlassGranted} or {@link BreakGlassReviewed} inside it): a grant the trail does not show is never made.
 * A grant is reviewed once; a second review would overwrite the first officer's note and time, so it is refused (409).
 * Nobody reviews their own emergency access (403): someone who is both a clinician and an information governance
 * officer would otherwise clear their own use of it, and the review is there to be a second person's judgement.
 */
@Component
class BreakGlass implements EmergencyAccessReviews {

    private final BreakGlassGrants grants;
    private final ApplicationEventPublisher events;
    private final AccessSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    BreakGlass(BreakGlassGrants grants, ApplicationEventPublisher events, AccessSettings settings,
               TransactionTemplate tx, Clock clock) {
        this.grants = grants;
        this.events = events;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    /** Grants the requester emergency access to the patient's record for the configured time, for the reason given. */
    BreakGlassGrant grant(Requester requester, String patientId, String reason) {
        Instant now = clock.instant();
        BreakGlassGrant grant = new BreakGlassGrant(UUID.randomUUID().toString(), requester.subject(),
                requester.fhirUser(), patientId, reason, now, now.plus(settings.breakGlassDuration()),
                requester.sourceAddress(), null, null, null);
        tx.executeWithoutResult(status -> {
            // One grant in force per person and patient: a second would only add a second item to review, and asked
            // for before the first ends would stretch emergency access past the time it is granted for. Once it has
            // ended they may ask again, with the reason for needing it still. Held one request at a time, so two
            // sent together cannot both find none.
            grants.lockFor(requester.fhirUser(), patientId);
            Instant until = grants.inForceUntil(requester.fhirUser(), patientId, now);
            if (until != null) {
                throw FhirException.of(409, ErrorCode.BREAK_GLASS_INVALID, IssueType.CONFLICT, "You already have"
                        + " emergency access to this record, until " + until + "; ask again once it has ended if you"
                        + " still need it");
            }
            grants.insert(grant);
            events.publishEvent(new BreakGlassGranted(grant.id(), requester, patientId, reason, grant.expiresAt(),
                    now));
        });
        return grant;
    }

    @Override
    public List<BreakGlassGrant> list(boolean reviewed, int limit) {
        return grants.list(reviewed, limit);
    }

    @Override
    public Optional<BreakGlassGrant> find(String grantId) {
        return Optional.ofNullable(grants.find(grantId));
    }

    @Override
    public BreakGlassGrant review(String grantId, Requester reviewer, String note) {
        Instant at = clock.instant();
        if (note != null && StatedReason.hasHiddenCharacters(note)) {
            throw BreakGlassEndpoint.invalid("A review note holds control or invisible characters; write it in plain"
                    + " text");
        }
        return tx.execute(status -> {
            BreakGlassGrant grant = grants.find(grantId);
            if (grant == null) {
                throw FhirException.of(404, ErrorCode.RESOURCE_NOT_FOUND, IssueType.NOTFOUND,
                        "No such grant: " + grantId);
            }
            if (OwnReview.isOwn(reviewer, grant.subject(), grant.fhirUser())) {
                throw OwnReview.refused("emergency access");
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
