package org.charnwood.app.triage;

import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.ResourceChanged;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.sql.SQLException;

/**
 * Puts a referral back in its service's queue when the referrer answers over the FHIR API: they complete the
 * information-request Task with an output, and once no question to them is outstanding the on-hold
 * ServiceRequest is made active again. Idempotent, because change events arrive at least once; an answer given
 * on the page does the same inside its own transaction.
 */
@Component
class InformationAnswers {

    private static final Logger log = LoggerFactory.getLogger(InformationAnswers.class);

    private final FhirRepository repository;

    InformationAnswers(FhirRepository repository) {
        this.repository = repository;
    }

    @EventListener
    void on(ResourceChanged change) {
        if (!"Task".equals(change.resourceType()) || change.method() == ChangeMethod.DELETE) {
            return;
        }
        try {
            repository.inTransaction(session -> {
                Task task = session.current("Task", change.resourceId()).filter(s -> !s.deleted())
                        .map(s -> s.parse(Task.class)).orElse(null);
                if (task == null || task.getStatus() != Task.TaskStatus.COMPLETED || !ReferralCodes.INFORMATION_REQUEST
                        .equals(ReferralRecords.codeOf(task.getCode(), ReferralCodes.TASK_CODES))) {
                    return null;
                }
                String referralId = ReferralRecords.idPart(task.getFocus().getReference(), "ServiceRequest");
                if (referralId != null) {
                    TriageActions.lock(session, referralId);
                    resume(session, referralId);
                }
                return null;
            });
        } catch (RuntimeException e) {
            // Handed on to the outbox relay, which counts it, tries the event again and in the end sets it aside
            // for replay, so the events behind it still go on; the message names no patient.
            log.warn("Could not return an answered referral to its queue: {}", e.getClass().getSimpleName());
            throw e;
        }
    }

    /** Makes an on-hold referral active again when none of the questions about it is outstanding. */
    static void resume(WriteSession session, String referralId) throws SQLException {
        ServiceRequest sr = session.current("ServiceRequest", referralId).filter(s -> !s.deleted())
                .map(s -> s.parse(ServiceRequest.class)).orElse(null);
        if (sr == null || sr.getStatus() != ServiceRequest.ServiceRequestStatus.ONHOLD) {
            return;
        }
        boolean waiting = TriageActions.tasks(session, referralId, ReferralCodes.INFORMATION_REQUEST, null).stream()
                .anyMatch(t -> ReferralRecords.informationRequest(t).outstanding());
        if (!waiting) {
            sr.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
            session.update("ServiceRequest", referralId, sr, null);
        }
    }
}
