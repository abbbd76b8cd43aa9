package org.charnwood.app.audit;

import org.charnwood.app.audit.balp.AuditEventBuilder.Direction;
import org.charnwood.app.audit.balp.Codes;
import org.charnwood.app.rostering.WorkforceEvent;
import org.springframework.context.event.EventListener;

import java.util.List;

/**
 * Records rostering's workforce events (bank bookings and cancellations, leave requests and decisions, rosters
 * planned and published) as AuditEvents of type Application Activity with the action as a Charnwood subtype, so
 * "who booked this shift" is answered from the same trail as everything else. They name no patient. Each is
 * published inside its change's transaction and recorded there, as the person signed in to the request that made
 * it (the application itself outside a request, such as the demo roster).
 */
final class WorkforceEventAudit {

    static final Codes APPLICATION_ACTIVITY = new Codes(Codes.DICOM, "110100", "Application Activity");

    private final AuditTrail trail;

    WorkforceEventAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @EventListener
    void workforce(WorkforceEvent event) {
        AuditScope request = trail.current();
        var b = trail.event(APPLICATION_ACTIVITY)
                .requester(request != null ? request.requester() : AuditScope.INTERNAL, Direction.TO_SERVER)
                .subtype(new Codes(Codes.CHARNWOOD_SUBTYPE, event.action(), event.action()))
                .action(event.action().endsWith("-made") || event.action().endsWith("-planned") ? "C" : "U")
                .outcome(0, null)
                .detail(event.detail());
        trail.commitWithChange(List.of(b.build()));
    }
}
