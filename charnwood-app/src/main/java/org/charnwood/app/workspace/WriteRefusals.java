package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.EmergencyAccessEndings;
import org.charnwood.app.web.PageRefusal;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.server.ResponseStatusException;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Says why the access policy refused a record page's write, or the form for one, and what to do: a role that
 * may not record clinical entries, emergency access that has run out since the form was opened, no care
 * relationship. A clinician told only that "there is a problem with the service" retries, or loses what they
 * typed; told that their emergency access ended, they know to open the record in an emergency again.
 */
@Component
class WriteRefusals {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("H:mm 'on' d MMMM yyyy", Locale.UK);
    private static final String NOTHING_SAVED = " Nothing you entered has been saved.";

    private final EmergencyAccessEndings grants;
    private final Clock clock;

    WriteRefusals(EmergencyAccessEndings grants, Clock clock) {
        this.grants = grants;
        this.clock = clock;
    }

    /** The 403 to throw for the policy's refusal, with the page's explanation recorded for the error page. */
    ResponseStatusException refuse(HttpServletRequest request, Requester requester, FhirException refusal) {
        String patientId = patientOf(request);
        String summary = patientId == null ? null : "/staff/patients/" + patientId;
        String back = summary == null ? null : "Go to the record summary";
        PageRefusal page;
        if (!requester.permits(Activity.WRITE_CLINICAL_RECORD)) {
            page = new PageRefusal("Your role does not allow you to record this",
                    "Only clinical staff can add to or change a patient's clinical record. Ask a registered clinician"
                            + " or nurse in the patient's care team to record it." + NOTHING_SAVED,
                    summary, back, PageRefusal.entered(request));
        } else if (refusal.is(ErrorCode.NO_LEGITIMATE_RELATIONSHIP) || refusal.is(ErrorCode.ACCESS_DENIED)) {
            Instant ended = grants.endedFor(requester.fhirUser(), patientId, clock.instant());
            page = ended != null
                    ? new PageRefusal("Your emergency access to this record has ended",
                    "It ended at " + WHEN.format(ended.atZone(Text.UK)) + "." + NOTHING_SAVED + " If you still"
                            + " need to record this, open the record in an emergency again from the record summary,"
                            + " giving your reason, or ask a clinician in the patient's care team.",
                    summary, back, PageRefusal.entered(request))
                    : new PageRefusal("You do not have a care relationship with this patient",
                    "Only staff caring for the patient can add to their record." + NOTHING_SAVED + " In an"
                            + " emergency you can open the record from the record summary, giving your reason, or"
                            + " ask a clinician in the patient's care team.",
                    summary, back, PageRefusal.entered(request));
        } else {
            page = new PageRefusal("You cannot change this part of the patient's record",
                    diagnostics(refusal) + NOTHING_SAVED, summary, back, PageRefusal.entered(request));
        }
        return page.forbid(request, refusal);
    }

    /** The policy's own reason: it names roles, labels and types, never what the record holds. */
    private static String diagnostics(FhirException refusal) {
        String said = refusal.outcome() == null ? null : refusal.outcome().getIssueFirstRep().getDiagnostics();
        return said == null || said.isBlank() ? "The access policy does not allow it." : said.strip()
                + (said.strip().endsWith(".") ? "" : ".");
    }

    @SuppressWarnings("unchecked")
    private static String patientOf(HttpServletRequest request) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return variables instanceof Map<?, ?> map && map.get("patientId") instanceof String id ? id : null;
    }
}
