package org.charnwood.app.referrals;

import org.charnwood.fhir.validation.ResourceValidator;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * A stage of the repository's validator chain: a pathway (a PlanDefinition or Questionnaire under the trust's
 * pathway URLs) written by any route, the FHIR API included, must be one the intake can use. Other
 * PlanDefinitions and Questionnaires are not ours to judge.
 */
@Component
class PathwayRules implements ResourceValidator {

    @Override
    public List<OperationOutcomeIssueComponent> validate(Resource resource) {
        if (resource instanceof PlanDefinition definition && PathwayDefinitions.isPathway(definition)) {
            return PathwayDefinitions.problems(definition);
        }
        if (resource instanceof Questionnaire questionnaire && PathwayDefinitions.isPathwayQuestionnaire(questionnaire)) {
            return PathwayDefinitions.problems(questionnaire);
        }
        return List.of();
    }
}
