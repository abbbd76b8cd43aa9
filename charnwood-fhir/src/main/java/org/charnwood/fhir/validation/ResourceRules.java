package org.charnwood.fhir.validation;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Map;

/**
 * Rules of particular resource types that the definitions state in prose rather than in
 * cardinality or FHIRPath: how a document or message bundle hangs together, how a
 * questionnaire's enableWhen may point, what a terminology or conformance resource must say.
 */
final class ResourceRules {
    private ResourceRules() {
    }

    static void check(Resource resource, R4Definitions defs, Findings findings, String path,
                      Map<Resource, List<BundleRules.FoundReference>> bundledReferences) {
        if (resource instanceof Bundle bundle) {
            BundleRules.check(bundle, defs, findings, path, bundledReferences);
        } else if (resource instanceof Questionnaire questionnaire) {
            QuestionnaireRules.check(questionnaire, findings, path);
        }
        ConformanceResourceRules.check(resource, defs, findings, path);
    }
}
