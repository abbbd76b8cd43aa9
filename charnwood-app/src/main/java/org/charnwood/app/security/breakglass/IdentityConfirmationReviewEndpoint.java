package org.charnwood.app.security.breakglass;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.EmergencyAccessReviews;
import org.charnwood.app.security.IdentityConfirmationReview;
import org.charnwood.app.security.IdentityConfirmationReviews;
import org.charnwood.app.security.PatientDataShown;
import org.charnwood.app.security.RequestAimedAt;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The identity confirmations on information governance's review list, beside emergency access and reviewed the same
 * way: {@code GET /api/break-glass/reviews/identity-confirmations} lists them, and
 * {@code POST /api/break-glass/identity-confirmations/{id}/review} records a review with a note, once, in one
 * transaction with its audit record. The list's own audit record names every patient it shows.
 */
@RestController
class IdentityConfirmationReviewEndpoint {

    private static final int MAX_TEXT = EmergencyAccessReviews.MAX_TEXT;

    private final IdentityConfirmationReviews confirmations;
    private final RequesterSource requesters;
    private final ApplicationEventPublisher events;

    IdentityConfirmationReviewEndpoint(IdentityConfirmationReviews confirmations, RequesterSource requesters,
                                       ApplicationEventPublisher events) {
        this.confirmations = confirmations;
        this.requesters = requesters;
        this.events = events;
    }

    /** An identity confirmation as the API shows it; {@code kind} tells it from an emergency access on the list. */
    record Confirmation(String kind, String id, String referralId, String referralReference, String patientId,
                        String provisionalPatientId, String how, String matched, String confirmedBy,
                        Instant confirmedAt, Instant reviewedAt, String reviewedBy, String reviewNote) {
        static Confirmation of(IdentityConfirmationReview c) {
            return new Confirmation("identity-confirmation", c.id(), c.referralId(), c.referralReference(),
                    c.patientId(), c.provisionalId(), c.how(), c.matched(), c.confirmedBy(), c.confirmedAt(),
                    c.reviewedAt(), c.reviewedBy(), c.reviewNote());
        }
    }

    @GetMapping("/api/break-glass/reviews/identity-confirmations")
    List<Confirmation> reviews(@RequestParam(defaultValue = "unreviewed") String status,
                               @RequestParam(defaultValue = "100") int limit, HttpServletRequest http) {
        BreakGlassEndpoint.require(requesters.current(http), Activity.AUDIT_REVIEW);
        Boolean reviewed = switch (status) {
            case "unreviewed" -> false;
            case "reviewed" -> true;
            case "all" -> null;
            default -> throw BreakGlassEndpoint.invalid("status is unreviewed, reviewed or all");
        };
        List<Confirmation> listed = confirmations.list(reviewed, Math.max(1, Math.min(limit, 1000))).stream()
                .map(Confirmation::of).toList();
        var patients = new LinkedHashSet<String>();
        listed.forEach(c -> patients.add(c.patientId()));
        if (!patients.isEmpty()) {
            events.publishEvent(new PatientDataShown(patients));
        }
        return listed;
    }

    @PostMapping("/api/break-glass/identity-confirmations/{id}/review")
    Confirmation review(@PathVariable String id, @RequestBody(required = false) BreakGlassEndpoint.Review body,
                        HttpServletRequest http) {
        // A refused or repeated review is recorded against the patient whose record the referral was linked to
        // (never told to the caller).
        RequestAimedAt.concerning(http, () -> confirmations.find(id).map(c -> List.of(c.patientId()))
                .orElse(List.of()));
        Requester requester = requesters.current(http);
        BreakGlassEndpoint.require(requester, Activity.AUDIT_REVIEW);
        if (body == null || body.note() == null || body.note().isBlank()) {
            throw BreakGlassEndpoint.invalid("A review needs a note");
        }
        if (body.note().strip().length() > MAX_TEXT) {
            throw BreakGlassEndpoint.invalid("A review note has at most " + MAX_TEXT + " characters");
        }
        return Confirmation.of(confirmations.review(id, requester, body.note().strip()));
    }
}
