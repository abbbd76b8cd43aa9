package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

import java.util.ArrayList;
import java.util.List;

/** The issues one validation finds, each with its FHIRPath expression and error code. */
final class Findings {
    private final List<OperationOutcomeIssueComponent> issues = new ArrayList<>();

    void error(ErrorCode code, IssueType type, String message, String expression) {
        add(IssueSeverity.ERROR, code, type, message, expression);
    }

    void add(IssueSeverity severity, ErrorCode code, IssueType type, String message, String expression) {
        issues.add(FhirException.issue(severity, code, type, message, expression));
    }

    List<OperationOutcomeIssueComponent> issues() {
        return issues;
    }
}
