package org.charnwood.app.referrals;

import org.charnwood.app.web.FormErrors;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the intake's refusal (an OperationOutcome) into what a form shows: each error beside its field (an item's
 * linkId names its question; other expressions are placed by the page), and the better services as advice.
 */
final class RefusalMessages {

    /** A service that fits better: the message and the service's slug, for a link. */
    record Advice(String message, String slug) {
    }

    private static final Pattern LINK_ID = Pattern.compile("linkId='([^']+)'");
    private static final Pattern SERVICE = Pattern.compile("HealthcareService/([A-Za-z0-9\\-.]+)");

    private RefusalMessages() {
    }

    static List<Advice> apply(FhirException refusal, FormErrors errors, Function<String, String> fieldOf) {
        List<Advice> advice = new ArrayList<>();
        for (OperationOutcomeIssueComponent issue : refusal.outcome().getIssue()) {
            String expression = issue.getExpression().isEmpty() ? "" : issue.getExpression().get(0).getValue();
            String code = issue.getDetails().getCodingFirstRep().getCode();
            if (ErrorCode.REFERRAL_BETTER_SERVICE.code().equals(code)) {
                Matcher m = SERVICE.matcher(issue.getDiagnostics());
                advice.add(new Advice(issue.getDiagnostics(), m.find() ? m.group(1) : null));
                continue;
            }
            if (issue.getSeverity() != IssueSeverity.ERROR && issue.getSeverity() != IssueSeverity.FATAL) {
                continue;
            }
            Matcher linkId = LINK_ID.matcher(expression);
            String field = linkId.find() ? QuestionnaireForm.fieldId(linkId.group(1)) : fieldOf.apply(expression);
            errors.add(field, issue.getDiagnostics());
        }
        return advice;
    }
}
