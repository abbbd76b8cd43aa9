package org.charnwood.app.triage;

import java.time.Instant;

/**
 * One recorded triage decision (a triage Task), for the referral's history.
 *
 * @param taskId  the Task
 * @param outcome its business status: accepted, rejected, redirected or information-requested
 * @param at      when it was made
 * @param by      who made it (a FHIR reference)
 * @param byName  their name, when known
 * @param reason  the coded reason's display (rejections), else null
 * @param note    the free-text note, else null
 * @param onward  for a redirect, the ServiceRequest that replaced the referral; else null
 */
public record TriageDecision(String taskId, String outcome, Instant at, String by, String byName, String reason,
                             String note, String onward) {

    public String outcomeLabel() {
        return switch (outcome == null ? "" : outcome) {
            case ReferralCodes.ACCEPTED -> "Accepted";
            case ReferralCodes.REJECTED -> "Rejected";
            case ReferralCodes.REDIRECTED -> "Redirected";
            case ReferralCodes.INFORMATION_REQUESTED -> "More information requested";
            default -> outcome;
        };
    }
}
