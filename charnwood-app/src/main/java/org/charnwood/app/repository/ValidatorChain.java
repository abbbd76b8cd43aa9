package org.charnwood.app.repository;

import org.charnwood.fhir.validation.ResourceValidator;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * Validators run in order, every issue kept; a stage that finds errors stops the chain, since later stages
 * (terminology bindings after structure and profiles) would only add noise about a resource already refused.
 */
record ValidatorChain(List<ResourceValidator> stages) implements ResourceValidator {

    @Override
    public List<OperationOutcomeIssueComponent> validate(Resource resource) {
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        for (ResourceValidator stage : stages) {
            issues.addAll(stage.validate(resource));
            if (issues.stream().anyMatch(i -> i.getSeverity() == IssueSeverity.ERROR
                    || i.getSeverity() == IssueSeverity.FATAL)) {
                break;
            }
        }
        return issues;
    }
}
