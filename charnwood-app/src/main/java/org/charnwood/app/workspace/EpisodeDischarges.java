package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.workspace.DischargeForm.Discharge;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Closes an episode of care: status {@code finished}, {@code period.end} the discharge date, the coded reason
 * as an extension (R4 EpisodeOfCare has no element for it) and, when asked, the episode's referral completed, all in
 * one transaction. The episode is read again inside the transaction and must still be open and at the version the
 * form was opened at ({@link ChangedMeanwhile} otherwise, and nothing is written), so two people discharging at
 * once cannot both succeed, and a change someone else made to the episode meanwhile is never overwritten. The referral is completed only when the access policy lets the
 * person change it, as the FHIR API would: one hidden from them (labelled very restricted, say) is left as it is,
 * and the confirmation does not mention it.
 */
@Component
class EpisodeDischarges {

    /** What was done, for the confirmation. */
    record Closed(boolean referralCompleted) {
    }

    /** The episode is no longer as the form showed it: someone else changed or closed it after it was opened. */
    static final class ChangedMeanwhile extends RuntimeException {
        ChangedMeanwhile() {
            super("changed by someone else", null, false, false);
        }
    }

    private final FhirRepository repository;
    private final AccessPolicy policy;

    EpisodeDischarges(FhirRepository repository, AccessPolicy policy) {
        this.repository = repository;
        this.policy = policy;
    }

    /**
     * @param version the version of the episode the form was opened at
     * @throws ChangedMeanwhile when the episode is no longer open or no longer at that version
     */
    Closed close(Requester requester, String episodeId, int version, Discharge discharge) {
        try {
            return repository.inTransaction(session -> closeIn(session, requester, episodeId, version, discharge));
        } catch (FhirException e) {
            if (e.is(ErrorCode.EPISODE_NOT_OPEN) || e.is(ErrorCode.VERSION_CONFLICT)) {
                throw new ChangedMeanwhile();
            }
            throw e;
        }
    }

    private Closed closeIn(WriteSession session, Requester requester, String episodeId, int version,
                           Discharge discharge) throws SQLException {
        EpisodeOfCare episode = current(session, "EpisodeOfCare", episodeId, EpisodeOfCare.class)
                .filter(e -> e.getStatus() == EpisodeOfCare.EpisodeOfCareStatus.ACTIVE)
                .orElseThrow(() -> FhirException.of(409, ErrorCode.EPISODE_NOT_OPEN,
                        org.hl7.fhir.r4.model.OperationOutcome.IssueType.CONFLICT,
                        "Episode of care " + episodeId + " is not open"));
        episode.setStatus(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        // To the day: the discharge date is what was decided, not a time of day.
        DateTimeType end = new DateTimeType(discharge.end().toString());
        episode.getPeriod().setEndElement(end);
        episode.addExtension(ContactCoding.DISCHARGE_REASON_EXTENSION,
                new CodeableConcept(discharge.reason().copy()).setText(discharge.reason().getDisplay()));
        session.update("EpisodeOfCare", episodeId, episode, version);
        boolean completed = false;
        if (discharge.completeReferral() && episode.hasReferralRequest()) {
            String reference = episode.getReferralRequestFirstRep().getReference();
            if (reference != null && reference.startsWith("ServiceRequest/")) {
                String referralId = reference.substring("ServiceRequest/".length());
                Optional<ServiceRequest> referral = current(session, "ServiceRequest", referralId,
                        ServiceRequest.class);
                if (referral.isPresent() && isOpen(referral.get())
                        && mayChange(requester, referralId, referral.get())) {
                    referral.get().setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
                    session.update("ServiceRequest", referralId, referral.get(), null);
                    completed = true;
                }
            }
        }
        return new Closed(completed);
    }

    private boolean mayChange(Requester requester, String referralId, ServiceRequest referral) {
        try {
            policy.write(requester, FhirAction.UPDATE, "ServiceRequest", referralId, referral);
            return true;
        } catch (FhirException e) {
            if (e.status() == 401 || e.status() == 403) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isOpen(ServiceRequest referral) {
        return referral.getStatus() == ServiceRequest.ServiceRequestStatus.ACTIVE
                || referral.getStatus() == ServiceRequest.ServiceRequestStatus.ONHOLD;
    }

    private static <T extends org.hl7.fhir.r4.model.Resource> Optional<T> current(WriteSession session, String type,
                                                                                    String id, Class<T> model)
            throws SQLException {
        Optional<StoredResource> stored = session.current(type, id);
        return stored.filter(s -> !s.deleted()).map(s -> s.parse(model));
    }
}
