package org.charnwood.app.referrals;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemEnableWhenComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a pathway's answers against its questionnaire, item by item: every required question that is asked
 * (its enableWhen holds) is answered, each answer has the item's type, a choice is one of the options, and
 * nothing is answered that was not asked. Each problem names the item's linkId, for the OperationOutcome's
 * expression and the form's error summary alike.
 */
final class QuestionnaireAnswers {

    /** A problem with one item. */
    record Problem(String linkId, String message) {
    }

    private QuestionnaireAnswers() {
    }

    static List<Problem> problems(Questionnaire questionnaire, QuestionnaireResponse response, LocalDate today) {
        List<Problem> problems = new ArrayList<>();
        Map<String, QuestionnaireItemComponent> items = new LinkedHashMap<>();
        questionnaire.getItem().forEach(i -> items.put(i.getLinkId(), i));
        Map<String, List<Type>> answers = new LinkedHashMap<>();
        for (QuestionnaireResponseItemComponent given : response.getItem()) {
            if (!items.containsKey(given.getLinkId())) {
                problems.add(new Problem(Objects.toString(given.getLinkId(), "?"),
                        "The pathway's questionnaire has no question " + given.getLinkId()));
                continue;
            }
            if (answers.containsKey(given.getLinkId())) {
                problems.add(new Problem(given.getLinkId(), "Question " + given.getLinkId() + " is answered twice"));
                continue;
            }
            answers.put(given.getLinkId(), given.getAnswer().stream()
                    .map(QuestionnaireResponseItemAnswerComponent::getValue).filter(Objects::nonNull).toList());
        }
        for (QuestionnaireItemComponent item : items.values()) {
            if (item.getType() == QuestionnaireItemType.DISPLAY) {
                continue;
            }
            List<Type> given = answers.getOrDefault(item.getLinkId(), List.of());
            boolean asked = enabled(item, answers);
            if (!asked) {
                if (!given.isEmpty()) {
                    problems.add(new Problem(item.getLinkId(), question(item) + ": this is not asked with the "
                            + "answers given, so leave it out"));
                }
                continue;
            }
            if (given.isEmpty()) {
                if (item.getRequired()) {
                    problems.add(new Problem(item.getLinkId(), missing(item)));
                }
                continue;
            }
            if (given.size() > 1 && !item.getRepeats()) {
                problems.add(new Problem(item.getLinkId(), question(item) + ": give one answer"));
                continue;
            }
            for (Type answer : given) {
                String wrong = wrongAnswer(item, answer, today);
                if (wrong != null) {
                    problems.add(new Problem(item.getLinkId(), question(item) + ": " + wrong));
                    break;
                }
            }
        }
        return problems;
    }

    /** Whether the item is asked: no enableWhen, or its conditions hold (all, or any with enableBehavior any). */
    static boolean enabled(QuestionnaireItemComponent item, Map<String, List<Type>> answers) {
        if (item.getEnableWhen().isEmpty()) {
            return true;
        }
        boolean any = item.getEnableBehavior() == Questionnaire.EnableWhenBehavior.ANY;
        for (QuestionnaireItemEnableWhenComponent when : item.getEnableWhen()) {
            List<Type> given = answers.getOrDefault(when.getQuestion(), List.of());
            boolean equal = given.stream().anyMatch(a -> same(a, when.getAnswer()));
            boolean holds = when.getOperator() == Questionnaire.QuestionnaireItemOperator.NOT_EQUAL
                    ? !given.isEmpty() && !equal : equal;
            if (any && holds) {
                return true;
            }
            if (!any && !holds) {
                return false;
            }
        }
        return !any;
    }

    static boolean same(Type answer, Type expected) {
        if (answer instanceof Coding a && expected instanceof Coding e) {
            return Objects.equals(a.getCode(), e.getCode());
        }
        return answer != null && expected != null && answer.fhirType().equals(expected.fhirType())
                && Objects.equals(answer.primitiveValue(), expected.primitiveValue());
    }

    private static String wrongAnswer(QuestionnaireItemComponent item, Type answer, LocalDate today) {
        switch (item.getType()) {
            case STRING, TEXT -> {
                if (!(answer instanceof StringType s) || s.getValue() == null || s.getValue().isBlank()) {
                    return "the answer is text (valueString)";
                }
                if (item.hasMaxLength() && s.getValue().length() > item.getMaxLength()) {
                    return "the answer must be " + item.getMaxLength() + " characters or fewer";
                }
                if (item.getType() == QuestionnaireItemType.STRING && s.getValue().length() > 200) {
                    return "the answer must be 200 characters or fewer";
                }
                if (s.getValue().length() > 4000) {
                    return "the answer must be 4000 characters or fewer";
                }
            }
            case BOOLEAN -> {
                if (!(answer instanceof BooleanType)) {
                    return "the answer is yes or no (valueBoolean)";
                }
            }
            case INTEGER -> {
                if (!(answer instanceof IntegerType i) || i.getValue() == null) {
                    return "the answer is a whole number (valueInteger)";
                }
                if (i.getValue() < 0) {
                    return "the answer cannot be negative";
                }
            }
            case DATE -> {
                if (!(answer instanceof DateType d) || d.getValue() == null) {
                    return "the answer is a date (valueDate)";
                }
                LocalDate date = d.getValue().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
                if (date.isAfter(today.plusYears(1)) || date.isBefore(today.minusYears(120))) {
                    return "the date is not a real date for this question";
                }
            }
            case CHOICE -> {
                if (!(answer instanceof Coding c) || item.getAnswerOption().stream()
                        .noneMatch(o -> o.hasValueCoding() && Objects.equals(o.getValueCoding().getCode(), c.getCode()))) {
                    return "the answer is one of the options: " + String.join(", ", item.getAnswerOption().stream()
                            .map(o -> o.getValueCoding().getCode()).toList());
                }
            }
            default -> {
                return "this type of question is not supported";
            }
        }
        return null;
    }

    static String question(QuestionnaireItemComponent item) {
        return item.getText() == null ? item.getLinkId() : item.getText();
    }

    private static String missing(QuestionnaireItemComponent item) {
        return switch (item.getType()) {
            case BOOLEAN, CHOICE -> "Select an answer for: " + question(item);
            case DATE -> "Enter a date for: " + question(item);
            default -> "Answer the question: " + question(item);
        };
    }

    /** The FHIRPath of an item's answers, for an OperationOutcome issue. */
    static String expression(String linkId) {
        return "QuestionnaireResponse.item.where(linkId='" + linkId.replace("'", "\\'") + "')";
    }
}
