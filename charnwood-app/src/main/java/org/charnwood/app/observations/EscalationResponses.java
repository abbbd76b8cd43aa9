package org.charnwood.app.observations;

import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * How other capabilities (the staff pages) answer an escalation: accept it, or decline it with a reason. The
 * escalation chain itself stays inside this package; this is the one door to it.
 */
@Component
public class EscalationResponses {

    private final Escalations escalations;
    private final Clock clock;

    EscalationResponses(Escalations escalations, Clock clock) {
        this.escalations = escalations;
        this.clock = clock;
    }

    /**
     * The responder takes the escalation on.
     *
     * @param taskId    the escalation Task's id
     * @param responder the person answering, as a reference ({@code Practitioner/staff-001})
     * @throws IllegalStateException when it has already been answered
     */
    public void accept(String taskId, String responder) {
        escalations.accept(taskId, responder, clock.instant());
    }

    /**
     * The responder declines with a reason: the escalation goes up a rung, or at the top the chain ends.
     *
     * @throws IllegalArgumentException when the reason is blank
     * @throws IllegalStateException    when it has already been answered
     */
    public void decline(String taskId, String responder, String reason) {
        escalations.decline(taskId, responder, reason, clock.instant());
    }
}
