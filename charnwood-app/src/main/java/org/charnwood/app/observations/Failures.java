package org.charnwood.app.observations;

import org.charnwood.fhir.FhirException;

/**
 * Describes a failure for the log without patient data: the exception's class, and for a repository refusal its
 * status and Charnwood error code (the code says what was refused; the message might name a resource).
 */
final class Failures {

    private Failures() {
    }

    static String describe(RuntimeException e) {
        if (e instanceof FhirException refused) {
            String code = refused.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
            return "FhirException " + refused.status() + (code == null ? "" : " " + code);
        }
        return e.getClass().getSimpleName();
    }
}
