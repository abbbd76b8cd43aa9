package org.charnwood.fhir.bundle;

import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.StringType;

import java.util.ArrayList;
import java.util.List;

/**
 * A refusal of one entry, remembering which entry it was. A batch reports it in that entry's
 * response; a transaction turns it into the failure of the whole bundle, naming the entry.
 */
final class EntryFailure extends RuntimeException {

    private final transient EntryRequest entry;
    private final FhirException failure;

    EntryFailure(EntryRequest entry, FhirException failure) {
        super(failure.getMessage(), failure, false, false);
        this.entry = entry;
        this.failure = failure;
    }

    FhirException failure() {
        return failure;
    }

    /**
     * The transaction's failure: the entry's status, a first issue naming the entry (expression
     * {@code Bundle.entry[n]}), then the entry's own issues with their expressions placed inside
     * the entry where they point into its resource.
     */
    FhirException asTransactionFailure() {
        OperationOutcome original = failure.outcome();
        OperationOutcomeIssueComponent first = original.getIssueFirstRep();
        OperationOutcome outcome = new OperationOutcome();
        String message = "The transaction failed at " + entry.label() + ", so nothing was written: "
                + first.getDiagnostics();
        OperationOutcomeIssueComponent summary = outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(first.getCode())
                .setDiagnostics(message);
        if (first.hasDetails()) {
            // Keeps the entry's error code, so the failure is looked up by what actually went wrong.
            summary.setDetails(first.getDetails().copy().setText(message));
        }
        summary.addExpression(entry.expression());
        for (OperationOutcomeIssueComponent issue : original.getIssue()) {
            OperationOutcomeIssueComponent copy = issue.copy();
            List<StringType> expressions = new ArrayList<>();
            for (StringType expression : issue.getExpression()) {
                expressions.add(new StringType(withinEntry(expression.getValue())));
            }
            if (expressions.isEmpty()) {
                expressions.add(new StringType(entry.expression()));
            }
            copy.setExpression(expressions);
            outcome.addIssue(copy);
        }
        return new FhirException(failure.status(), outcome);
    }

    /** {@code Patient.name[0]} in the entry's resource becomes {@code Bundle.entry[3].resource.name[0]}. */
    private String withinEntry(String expression) {
        if (expression == null || expression.startsWith("Bundle.entry[")) {
            return expression;
        }
        String type = entry.resource() == null ? null : entry.resource().fhirType();
        if (type != null && expression.equals(type)) {
            return entry.expression() + ".resource";
        }
        if (type != null && expression.startsWith(type + ".")) {
            return entry.expression() + ".resource" + expression.substring(type.length());
        }
        return expression;
    }
}
