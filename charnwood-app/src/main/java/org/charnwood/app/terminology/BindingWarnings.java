package org.charnwood.app.terminology;

import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

import java.util.ArrayList;
import java.util.List;

/**
 * Warnings raised while the current request's writes were validated: the binding check's, and those of structure
 * and profile validation (a claimed profile not known here, CHARNWOOD-1032). The repository's validator interface
 * returns issues but a successful write reports none of them, so the stages note their warnings here (writes run
 * on the request's thread) and the FHIR endpoint adds them to the OperationOutcome it returns when the client asked
 * for one.
 */
public final class BindingWarnings {

    private static final ThreadLocal<List<OperationOutcomeIssueComponent>> NOTED = new ThreadLocal<>();

    private BindingWarnings() {
    }

    /** Starts collecting for a request, forgetting anything left by an earlier one on this thread. */
    public static void start() {
        NOTED.set(new ArrayList<>());
    }

    /** Notes the warnings among {@code issues} for the current request (none when no request is collecting). */
    public static void noteWarnings(List<OperationOutcomeIssueComponent> issues) {
        note(issues.stream().filter(i -> i.getSeverity()
                == org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.WARNING).toList());
    }

    static void note(List<OperationOutcomeIssueComponent> warnings) {
        List<OperationOutcomeIssueComponent> list = NOTED.get();
        if (list != null) {
            list.addAll(warnings);
        }
    }

    /** The warnings noted since {@link #start()}, and stops collecting. */
    public static List<OperationOutcomeIssueComponent> finish() {
        List<OperationOutcomeIssueComponent> list = NOTED.get();
        NOTED.remove();
        return list == null ? List.of() : list;
    }

    /** The warnings noted so far, still collecting. */
    public static List<OperationOutcomeIssueComponent> peek() {
        List<OperationOutcomeIssueComponent> list = NOTED.get();
        return list == null ? List.of() : List.copyOf(list);
    }
}
