package org.charnwood.app.observations;

import org.charnwood.app.security.Requester;
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
     * The requester takes the escalation on.
     *
     * @param taskId    the escalation Task's id
     * @param requester the person answering: the Task's owner becomes their {@code fhirUser}
     * @throws org.charnwood.fhir.FhirException 404 when there is no such escalation, 403 when it is not addressed
     *                                          to them (its owner, or a member of its team) or their role does not
     *                                          permit answering escalations; nothing is written
     * @throws IllegalStateException            when it has already been answered
     */
    public void accept(String taskId, Requester requester) {
        escalations.accept(taskId, requester, clock.instant());
    }

    /**
     * The requester declines with a reason: the escalation goes up a rung, or at the top the chain ends.
     *
     * @throws org.charnwood.fhir.FhirException as {@link #accept}
     * @throws IllegalArgumentException         when the reason is blank
     * @throws IllegalStateException            when it has already been answered
     */
    public void decline(String taskId, Requester requester, String reason) {
        escalations.decline(taskId, requester, reason, clock.instant());
    }

    /**
     * Refuses as {@link #accept} would when the requester may not answer the escalation (to show its forms only
     * to those who may); writes nothing.
     */
    public void requireResponder(String taskId, Requester requester) {
        escalations.requireResponder(taskId, requester);
    }

    /**
     * The patient the escalation is about, as a bare id, or none when there is no such escalation: for the audit
     * record of an answer that is refused, which names them. Reads only, and tells nobody.
     */
    public java.util.Optional<String> patientOf(String taskId) {
        return escalations.patientOf(taskId);
    }
}
