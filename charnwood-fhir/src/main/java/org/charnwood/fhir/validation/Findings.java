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
    private boolean hasErrors;

    void error(ErrorCode code, IssueType type, String message, String expression) {
        add(IssueSeverity.ERROR, code, type, message, expression);
    }

    void warning(ErrorCode code, IssueType type, String message, String expression) {
        add(IssueSeverity.WARNING, code, type, message, expression);
    }

    void add(IssueSeverity severity, ErrorCode code, IssueType type, String message, String expression) {
        issues.add(FhirException.issue(severity, code, type, message, expression));
        if (severity == IssueSeverity.ERROR || severity == IssueSeverity.FATAL) {
            hasErrors = true;
        }
    }

    void addAll(List<OperationOutcomeIssueComponent> more) {
        for (OperationOutcomeIssueComponent issue : more) {
            issues.add(issue);
            if (issue.getSeverity() == IssueSeverity.ERROR || issue.getSeverity() == IssueSeverity.FATAL) {
                hasErrors = true;
            }
        }
    }

    boolean hasErrors() {
        return hasErrors;
    }

    List<OperationOutcomeIssueComponent> issues() {
        return issues;
    }
}
