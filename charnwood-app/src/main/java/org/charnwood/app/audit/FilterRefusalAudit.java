package org.charnwood.app.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Records the refusals the security filter chain makes before any page or API handler runs (a patient or carer
 * opening a staff page, staff opening the patient area, a token without the API's scope, a role that does not
 * permit an operations API, a form post without its CSRF token): a failure naming who asked and what they asked
 * for, as a refusal by a handler is recorded ({@link PageAudit}), so that these attempts are on the trail too.
 */
public final class FilterRefusalAudit implements org.charnwood.app.security.RefusalRecorder {

    private final AuditTrail trail;
    private final RequesterSource requesters;
    private final AimedAt aimedAt;

    FilterRefusalAudit(AuditTrail trail, RequesterSource requesters, AimedAt aimedAt) {
        this.trail = trail;
        this.requesters = requesters;
        this.aimedAt = aimedAt;
    }

    @Override
    public AccessDeniedHandler recording(AccessDeniedHandler then) {
        return (request, response, denied) -> {
            refused(request, 403);
            then.handle(request, response, denied);
        };
    }

    /** One failure record for a request refused with {@code status}, unless a handler's record covers it. */
    void refused(HttpServletRequest request, int status) {
        if (!trail.enabled() || PageAudit.scope(request) != null) {
            return;
        }
        Requester requester;
        try {
            requester = requesters.current(request);
        } catch (RuntimeException e) {
            // Recorded as from the request's address when who is asking cannot be worked out.
            requester = null;
        }
        try (AuditScope scope = trail.open(request)) {
            scope.page(aimedAt);
            scope.requester(requester);
            scope.pageFailed(status);
        }
    }
}
