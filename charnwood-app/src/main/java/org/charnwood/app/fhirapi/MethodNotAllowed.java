package org.charnwood.app.fhirapi;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.List;

/**
 * A 405 refusal, which names the methods the address does serve: RFC 9110 (section 15.5.6) has a 405 response
 * carry them in an {@code Allow} header, so a client can tell what it may do instead.
 */
final class MethodNotAllowed extends FhirException {

    private final transient List<String> allow;

    MethodNotAllowed(ErrorCode code, IssueType type, String message, List<String> allow) {
        super(405, FhirException.outcome(IssueSeverity.ERROR, code, type, message, null));
        this.allow = List.copyOf(allow);
    }

    MethodNotAllowed(String message, List<String> allow) {
        this(ErrorCode.UNSUPPORTED_INTERACTION, IssueType.NOTSUPPORTED, message, allow);
    }

    /** The methods served at the address, for the {@code Allow} header; empty when it serves none. */
    List<String> allow() {
        return allow;
    }
}
