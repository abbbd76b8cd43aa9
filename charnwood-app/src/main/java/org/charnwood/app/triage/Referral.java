package org.charnwood.app.triage;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A referral as triage sees it: the ServiceRequest, who it is for and from, where it is in triage, its
 * decisions and information requests, and its clocks as measured now.
 *
 * @param id                the ServiceRequest's id
 * @param serviceId         the service referred to ({@code HealthcareService/<serviceId>})
 * @param serviceName       the service's name
 * @param patientId         the patient's id
 * @param patientName       the patient's name (FAMILY, Given)
 * @param nhsNumber         the NHS number, spaced 3-3-4, when recorded
 * @param requester         the referrer (a FHIR reference), or null
 * @param requesterName     the referrer's name, when known
 * @param priority          routine, urgent or asap
 * @param status            the ServiceRequest's status
 * @param received          when the service received it (the clock start)
 * @param reason            why the patient was referred (text)
 * @param source            the source of referral (display)
 * @param replaces          the referral this one replaced (a redirect), or null
 * @param questionnaireResponse the QuestionnaireResponse holding the referral form's answers, or null
 * @param stage             where it is in triage
 * @param accepted          when it was accepted, or null
 * @param episodeId         the EpisodeOfCare opened when it was accepted, or null
 * @param firstContact      when the patient was first seen (attended contact start), or null
 * @param decisions         the triage decisions, oldest first
 * @param informationRequests the questions put to the referrer, oldest first
 * @param clocks            the clocks that apply to it, measured now
 * @param notes             the notes on the ServiceRequest, oldest first (intake notes what triage must check)
 */
public record Referral(String id, String serviceId, String serviceName, String patientId, String patientName,
                       String nhsNumber, String requester, String requesterName, String priority, String status,
                       Instant received, String reason, String source, String replaces, String questionnaireResponse,
                       ReferralStage stage, Instant accepted, String episodeId, Instant firstContact,
                       List<TriageDecision> decisions, List<InformationRequest> informationRequests,
                       List<ClockReading> clocks, List<String> notes) {

    /** The reading of one clock, or null when that clock does not apply to this referral. */
    public ClockReading clock(ReferralClock clock) {
        return clocks.stream().filter(c -> c.clock() == clock).findFirst().orElse(null);
    }

    /** The clocks still running or breached, most pressing first: what the queue shows. */
    public List<ClockReading> clocksToShow() {
        return clocks.stream().filter(c -> c.running() || c.state() == ClockState.BREACHED)
                .sorted(Comparator.comparing(ClockReading::remaining)).toList();
    }

    /** Whether any running clock is near breach or breached. */
    public boolean flagged() {
        return clocks.stream().anyMatch(c -> c.running() && c.flagged());
    }

    /** Rank for sorting by priority: asap first, then urgent, then routine. */
    public int priorityRank() {
        return switch (priority == null ? "" : priority) {
            case "asap", "stat" -> 0;
            case "urgent" -> 1;
            default -> 2;
        };
    }

    public String priorityLabel() {
        return switch (priority == null ? "" : priority) {
            case "asap" -> "2-hour urgent";
            case "stat" -> "Immediate";
            case "urgent" -> "Urgent";
            default -> "Routine";
        };
    }

    /** The questions to the referrer still waiting for an answer. */
    public List<InformationRequest> outstandingRequests() {
        return informationRequests.stream().filter(InformationRequest::outstanding).toList();
    }
}
