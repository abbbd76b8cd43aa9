package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemEnableWhenComponent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A questionnaire's items must be addressable and its conditions answerable: linkIds are unique,
 * and each enableWhen names another question that is not nested inside the item it controls (a
 * hidden item's children can never be answered, so the condition could never become true).
 */
final class QuestionnaireRules {
    private QuestionnaireRules() {
    }

    static void check(Questionnaire questionnaire, Findings findings, String path) {
        Map<String, String> paths = new HashMap<>();
        Map<String, QuestionnaireItemComponent> items = new HashMap<>();
        index(questionnaire.getItem(), path + ".item", paths, items, findings);
        checkEnableWhen(questionnaire.getItem(), path + ".item", items, findings);
    }

    private static void index(List<QuestionnaireItemComponent> level, String at, Map<String, String> paths,
                              Map<String, QuestionnaireItemComponent> items, Findings findings) {
        for (int i = 0; i < level.size(); i++) {
            QuestionnaireItemComponent item = level.get(i);
            String here = at + "[" + i + "]";
            if (item.hasLinkId()) {
                if (paths.containsKey(item.getLinkId())) {
                    findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE, "The linkId '" + item.getLinkId()
                            + "' is also used at " + paths.get(item.getLinkId()) + ": linkIds must be unique",
                            here + ".linkId");
                } else {
                    paths.put(item.getLinkId(), here);
                    items.put(item.getLinkId(), item);
                }
            }
            index(item.getItem(), here + ".item", paths, items, findings);
        }
    }

    private static void checkEnableWhen(List<QuestionnaireItemComponent> level, String at,
                                        Map<String, QuestionnaireItemComponent> items, Findings findings) {
        for (int i = 0; i < level.size(); i++) {
            QuestionnaireItemComponent item = level.get(i);
            String here = at + "[" + i + "]";
            for (int w = 0; w < item.getEnableWhen().size(); w++) {
                QuestionnaireItemEnableWhenComponent condition = item.getEnableWhen().get(w);
                String question = condition.getQuestion();
                String where = here + ".enableWhen[" + w + "].question";
                if (question == null) {
                    continue;
                }
                QuestionnaireItemComponent target = items.get(question);
                if (target == null) {
                    findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE,
                            "The enableWhen question '" + question + "' is not a linkId in this questionnaire", where);
                } else if (target == item || contains(item, target)) {
                    findings.error(ErrorCode.INVALID_RESOURCE, IssueType.BUSINESSRULE,
                            "Questions with an enableWhen cannot refer to an inner question for its enableWhen "
                                    + "condition ('" + question + "' is inside item '" + item.getLinkId() + "')", where);
                }
            }
            checkEnableWhen(item.getItem(), here + ".item", items, findings);
        }
    }

    private static boolean contains(QuestionnaireItemComponent item, QuestionnaireItemComponent target) {
        for (QuestionnaireItemComponent child : item.getItem()) {
            if (child == target || contains(child, target)) {
                return true;
            }
        }
        return false;
    }
}
