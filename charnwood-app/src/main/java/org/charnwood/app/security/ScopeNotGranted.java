package org.charnwood.app.security;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.List;

/**
 * A 403 because the token's SMART scopes do not allow the interaction ({@link ErrorCode#SCOPE_NOT_GRANTED}),
 * remembering which scopes would have: the FHIR endpoint names them in its {@code insufficient_scope} challenge
 * (RFC 6750 section 3.1), and the OperationOutcome names them for the person reading it.
 */
public final class ScopeNotGranted extends FhirException {

    private final transient List<String> needed;

    /**
     * @param doing  what was refused, in words ("search Patient resources")
     * @param needed the scopes any one of which would have allowed it
     */
    public ScopeNotGranted(String doing, List<String> needed) {
        super(403, FhirException.outcome(IssueSeverity.ERROR, ErrorCode.SCOPE_NOT_GRANTED, IssueType.FORBIDDEN,
                "This app was not granted permission to " + doing + " (it needs " + oneOf(needed) + ")", null));
        this.needed = List.copyOf(needed);
    }

    private ScopeNotGranted(OperationOutcome outcome, List<String> needed) {
        super(403, outcome);
        this.needed = needed;
    }

    /**
     * This refusal reported as another's, such as a bundle's refused for this entry: the outcome is the caller's,
     * the scopes that would have allowed it stay these, so the bundle's 403 carries the same challenge.
     */
    public ScopeNotGranted reportedAs(OperationOutcome outcome) {
        return new ScopeNotGranted(outcome, needed);
    }

    /** The scopes any one of which would have allowed the interaction. */
    public List<String> needed() {
        return needed;
    }

    private static String oneOf(List<String> scopes) {
        if (scopes.size() <= 1) {
            return String.join("", scopes);
        }
        return String.join(", ", scopes.subList(0, scopes.size() - 1)) + " or " + scopes.getLast();
    }
}
