package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Whether a person may record bedside observations for a patient, as the access policy would decide for the same
 * Observations sent to the FHIR API: the set is vital-sign Observations about the patient, so one stands for them
 * all. The form asks before it is offered and before it saves; the banner asks too, so that the link to the form
 * is offered only to those the form would let in. The policy's relationship answers are kept per person, so asking
 * on every page costs no query of its own.
 */
@Component
class ObservationRecording {

    private final AccessPolicy policy;
    private final RequesterSource requesters;

    ObservationRecording(AccessPolicy policy, RequesterSource requesters) {
        this.policy = policy;
        this.requesters = requesters;
    }

    /** Why the person may not record observations for the patient, or null when they may. */
    FhirException refusal(Requester requester, String patientId) {
        Observation sample = new Observation();
        sample.setStatus(Observation.ObservationStatus.FINAL);
        sample.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("vital-signs");
        sample.setSubject(new Reference("Patient/" + patientId));
        try {
            policy.write(requester, FhirAction.CREATE, "Observation", null, sample);
            return null;
        } catch (FhirException e) {
            if (e.status() == 401 || e.status() == 403) {
                return e;
            }
            throw e;
        }
    }

    /** Whether the person signed in on this request may record observations for the patient. */
    boolean allowed(String patientId) {
        HttpServletRequest request = RequestContextHolder.getRequestAttributes()
                instanceof ServletRequestAttributes attributes ? attributes.getRequest() : null;
        return request != null && refusal(requesters.current(request), patientId) == null;
    }
}
