package org.charnwood.app.audit;

import org.charnwood.app.audit.balp.AuditEventBuilder.Direction;
import org.charnwood.app.audit.balp.Codes;
import org.charnwood.app.security.AppAccessChanged;
import org.charnwood.app.security.BreakGlassGranted;
import org.charnwood.app.security.BreakGlassRefused;
import org.charnwood.app.security.BreakGlassReviewed;
import org.charnwood.app.security.FederatedIdentityLinked;
import org.charnwood.app.security.IdentityConfirmationReviewed;
import org.charnwood.app.security.OnlyPatientsShown;
import org.charnwood.app.security.OwnPasswordChosen;
import org.charnwood.app.security.PatientDataShown;
import org.charnwood.app.security.SignInRecorded;
import org.charnwood.app.security.SignOutRecorded;
import org.springframework.context.event.EventListener;

import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Records sign-in (successful or not), sign-out, a person's choice of their own password, break-glass grants and their reviews, and the reviews of identity
 * confirmations, as the security module announces them, and names in a request's record the patients it showed
 * from outside the repository.
 */
final class SecurityEventAudit {

    private final AuditTrail trail;

    SecurityEventAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @EventListener
    void signIn(SignInRecorded event) {
        var b = trail.event(Codes.USER_AUTHENTICATION).requester(event.requester(), Direction.TO_SERVER)
                .subtype(Codes.LOGIN).action("E")
                .outcome(event.succeeded() ? 0 : 4, event.succeeded() ? null : event.failureReason());
        if (event.username() != null) {
            // A backend system's sign-in is its token: what it may do is part of what it signed in for.
            boolean system = event.requester().kind() == org.charnwood.app.security.Requester.Kind.SYSTEM;
            b.detail("account " + event.username() + (system && !event.requester().scopes().isEmpty()
                    ? "; scopes " + String.join(" ", event.requester().scopes()) : ""));
        }
        trail.commit(List.of(b.build()));
    }

    @EventListener
    void signOut(SignOutRecorded event) {
        var b = trail.event(Codes.USER_AUTHENTICATION).requester(event.requester(), Direction.TO_SERVER)
                .subtype(Codes.LOGOUT).action("E").outcome(0, event.reason());
        trail.commit(List.of(b.build()));
    }

    /** Recorded with the new password (the change is the person's own, not an administrator's). */
    @EventListener
    void ownPasswordChosen(OwnPasswordChosen event) {
        var b = trail.event(Codes.SECURITY_ATTRIBUTES_CHANGED).requester(event.person(), Direction.TO_SERVER)
                .subtype(Codes.OWN_PASSWORD_CHOSEN).action("U").outcome(0, null)
                .detail("account " + event.username() + " chose their own password in place of the one they were given");
        trail.commitWithChange(List.of(b.build()));
    }

    /**
     * Recorded with the link: from now on the provider's sign-in is this account, its practitioner and its
     * history, so who made that so, and through which identity, is kept.
     */
    @EventListener
    void federatedIdentityLinked(FederatedIdentityLinked event) {
        var b = trail.event(Codes.SECURITY_ATTRIBUTES_CHANGED).requester(event.person(), Direction.TO_SERVER)
                .subtype(Codes.FEDERATED_IDENTITY_LINKED).action("U").outcome(0, null)
                .detail("account " + event.username() + " linked to " + event.provider() + " identity "
                        + event.subject() + " by the SDS user id on its practitioner record");
        trail.commitWithChange(List.of(b.build()));
    }

    @EventListener
    void breakGlass(BreakGlassGranted event) {
        var b = trail.event(Codes.SECURITY_ALERT).requester(event.requester(), Direction.TO_SERVER)
                .subtype(Codes.BREAK_GLASS).action("E").outcome(0, null)
                .patient(event.patientId())
                .breakGlassGrant(event.grantId())
                .detail("reason: " + event.reason() + "; until "
                        + (event.expiresAt() == null ? "-" : event.expiresAt().truncatedTo(ChronoUnit.SECONDS)));
        trail.commitWithChange(List.of(b.build()));
        // The grant's record is the record of the request that made it (which read the patient to check them).
        AuditScope request = trail.current();
        if (request != null && request.isPage()) {
            request.recordedAlready();
        }
    }

    /** A refused request for emergency access: a failed security alert in the patient's trail, with the reason given. */
    @EventListener
    void breakGlassRefused(BreakGlassRefused event) {
        var b = trail.event(Codes.SECURITY_ALERT).requester(event.requester(), Direction.TO_SERVER)
                .subtype(Codes.BREAK_GLASS).action("E").outcome(4, event.refusal())
                .patient(event.patientId())
                .detail("reason: " + event.reason());
        trail.commit(List.of(b.build()));
        // The alert is the record of the refused request: no second, page failure record for it.
        AuditScope request = trail.current();
        if (request != null && request.isPage()) {
            request.recordedAlready();
        }
    }

    /** The review is a change to the grant, recorded with it; the patient sees it in "who has viewed my record". */
    @EventListener
    void breakGlassReviewed(BreakGlassReviewed event) {
        var b = trail.event(Codes.SECURITY_ALERT).requester(event.reviewer(), Direction.TO_SERVER)
                .subtype(Codes.BREAK_GLASS_REVIEW).action("U").outcome(0, null)
                .patient(event.patientId())
                .detail("grant " + event.grantId() + " reviewed: " + event.note());
        trail.commitWithChange(List.of(b.build()));
    }

    /**
     * The review of a triager's linking of a self-referral to an existing record, recorded with it, as an emergency
     * access's review is; the patient sees it in "who has viewed my record".
     */
    @EventListener
    void identityConfirmationReviewed(IdentityConfirmationReviewed event) {
        var b = trail.event(Codes.SECURITY_ALERT).requester(event.reviewer(), Direction.TO_SERVER)
                .subtype(Codes.IDENTITY_CONFIRMATION_REVIEW).action("U").outcome(0, null)
                .patient(event.patientId())
                .detail("identity confirmation " + event.confirmationId() + " (referral ServiceRequest/"
                        + event.referralId() + ") reviewed: " + event.note());
        trail.commitWithChange(List.of(b.build()));
    }

    /** An app allowed to use a record, or stopped, recorded with the answer; the patient sees it in their history. */
    @EventListener
    void appAccess(AppAccessChanged event) {
        var b = trail.event(Codes.SECURITY_ATTRIBUTES_CHANGED).requester(event.person(), Direction.TO_SERVER)
                .subtype(event.allowed() ? Codes.APP_ACCESS_ALLOWED : Codes.APP_ACCESS_STOPPED)
                .action("U").outcome(0, null)
                .detail("app " + event.clientId() + (event.allowed()
                        ? " allowed: " + String.join(" ", event.scopes())
                        : " stopped; sign-ins ended: " + event.tokensEnded()));
        if (event.patientId() != null) {
            b.patient(event.patientId());
        }
        trail.commitWithChange(List.of(b.build()));
    }

    @EventListener
    void shown(PatientDataShown event) {
        AuditScope request = trail.current();
        if (request != null) {
            request.shown(event.patientIds());
        }
    }

    @EventListener
    void shownOnly(OnlyPatientsShown event) {
        AuditScope request = trail.current();
        if (request != null) {
            request.shownOnly(event.patientIds());
        }
    }
}
