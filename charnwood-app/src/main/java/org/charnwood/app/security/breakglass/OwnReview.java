package org.charnwood.app.security.breakglass;

import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * The review of emergency access, or of an identity confirmation, is a second person's judgement of what someone did:
 * whoever did it may not review it, even when their roles include information governance (a person may hold several
 * roles, and a clinician who is also the trust's IG lead would otherwise clear their own break-glass). They are the
 * same person when the reviewer's account or FHIR user is the one that made the grant or confirmation.
 */
final class OwnReview {

    private OwnReview() {
    }

    static boolean isOwn(Requester reviewer, String subject, String fhirUser) {
        return reviewer.subject() != null && reviewer.subject().equals(subject)
                || reviewer.fhirUser() != null && reviewer.fhirUser().equals(fhirUser);
    }

    static FhirException refused(String what) {
        return FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN, "You may not review your own "
                + what + ": another information governance officer must review it");
    }
}
