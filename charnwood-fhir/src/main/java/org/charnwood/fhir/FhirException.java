package org.charnwood.fhir;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.StringType;

import java.util.List;

/**
 * A refused request: an HTTP status and the OperationOutcome that explains it. Thrown anywhere
 * on the read or write path; the transaction in progress is rolled back, so nothing is half-written.
 */
public class FhirException extends RuntimeException {
    private final int status;
    private final transient OperationOutcome outcome;

    public FhirException(int status, OperationOutcome outcome) {
        super(summary(outcome));
        this.status = status;
        this.outcome = outcome;
    }

    public int status() {
        return status;
    }

    public OperationOutcome outcome() {
        return outcome;
    }

    /** Whether an issue of the outcome carries this Charnwood error code. */
    public boolean is(ErrorCode code) {
        return outcome != null && outcome.getIssue().stream().flatMap(i -> i.getDetails().getCoding().stream())
                .anyMatch(c -> ErrorCode.SYSTEM.equals(c.getSystem()) && code.code().equals(c.getCode()));
    }

    public static FhirException of(int status, ErrorCode code, IssueType type, String message) {
        return of(status, code, type, message, null);
    }

    public static FhirException of(int status, ErrorCode code, IssueType type, String message, String expression) {
        return new FhirException(status, outcome(IssueSeverity.ERROR, code, type, message, expression));
    }

    public static FhirException notFound(String type, String id) {
        return of(404, ErrorCode.RESOURCE_NOT_FOUND, IssueType.NOTFOUND, type + "/" + id + " is not known");
    }

    public static FhirException gone(String type, String id) {
        return of(410, ErrorCode.RESOURCE_GONE, IssueType.DELETED, type + "/" + id + " has been deleted");
    }

    public static FhirException badRequest(ErrorCode code, String message) {
        return of(400, code, IssueType.INVALID, message);
    }

    public static FhirException unprocessable(ErrorCode code, String message, String expression) {
        return of(422, code, IssueType.INVALID, message, expression);
    }

    /** A 422 carrying every error a validator found, so the sender can fix them all at once. */
    public static FhirException unprocessable(List<OperationOutcomeIssueComponent> issues) {
        OperationOutcome oo = new OperationOutcome();
        issues.forEach(oo::addIssue);
        return new FhirException(422, oo);
    }

    public static OperationOutcome outcome(IssueSeverity severity, ErrorCode code, IssueType type, String message,
                                           String expression) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue(issue(severity, code, type, message, expression));
        return oo;
    }

    public static OperationOutcomeIssueComponent issue(IssueSeverity severity, ErrorCode code, IssueType type,
                                                       String message, String expression) {
        OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent()
                .setSeverity(severity)
                .setCode(type)
                .setDiagnostics(message);
        if (code != null) {
            issue.setDetails(new CodeableConcept(new Coding(ErrorCode.SYSTEM, code.code(), code.title()))
                    .setText(message));
        }
        if (expression != null) {
            issue.setExpression(List.of(new StringType(expression)));
        }
        return issue;
    }

    private static String summary(OperationOutcome oo) {
        if (oo == null || oo.getIssue().isEmpty()) {
            return "request refused";
        }
        OperationOutcomeIssueComponent first = oo.getIssueFirstRep();
        return first.getDiagnostics() == null ? first.getCode().toCode() : first.getDiagnostics();
    }
}
