package org.charnwood.app.audit;

import org.charnwood.app.audit.balp.AuditEventBuilder.Direction;
import org.charnwood.app.audit.balp.Codes;
import org.charnwood.app.repository.OutboxOperation;
import org.springframework.context.event.EventListener;

import java.util.List;

/**
 * Records what the trust's IT team does to the outbox's set-aside events through the operations API (listing them,
 * replaying them) as AuditEvents of type Application Activity with the action as a Charnwood subtype, as the person
 * who asked. A replay is recorded in the transaction that makes it, so the two commit together; a listing is
 * committed before the list is sent. A refused or failed call is recorded with its status by {@link PageAudit}.
 * They name no patient.
 */
final class OutboxOperationAudit {

    private final AuditTrail trail;

    OutboxOperationAudit(AuditTrail trail) {
        this.trail = trail;
    }

    @EventListener
    void outbox(OutboxOperation event) {
        AuditScope request = trail.current();
        var b = trail.event(WorkforceEventAudit.APPLICATION_ACTIVITY)
                .requester(request != null ? request.requester() : AuditScope.INTERNAL,
                        event.change() ? Direction.TO_SERVER : Direction.TO_CLIENT)
                .subtype(new Codes(Codes.CHARNWOOD_SUBTYPE, event.action(), event.action()))
                .action(event.change() ? "U" : "R")
                .outcome(0, null)
                .detail(event.detail());
        trail.commitWithChange(List.of(b.build()));
    }
}
