package org.charnwood.fhir.bulk;

import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

/** Import refusals told with where in the source they are, so a bad line among thousands can be found. */
final class ImportFailures {

    private ImportFailures() {
    }

    /**
     * The refusal with the same status, codes and expressions, every issue's text starting with {@code where}
     * ({@code request body line 5 (Patient/p1): ...}).
     */
    static FhirException at(String where, FhirException refusal) {
        OperationOutcome located = new OperationOutcome();
        for (OperationOutcomeIssueComponent issue : refusal.outcome().getIssue()) {
            OperationOutcomeIssueComponent copy = issue.copy();
            String text = issue.hasDiagnostics() ? issue.getDiagnostics() : issue.getCode().toCode();
            copy.setDiagnostics(where + ": " + text);
            if (copy.hasDetails() && copy.getDetails().hasText()) {
                copy.getDetails().setText(where + ": " + copy.getDetails().getText());
            }
            located.addIssue(copy);
        }
        FhirException failure = new FhirException(refusal.status(), located);
        failure.initCause(refusal);
        return failure;
    }
}
