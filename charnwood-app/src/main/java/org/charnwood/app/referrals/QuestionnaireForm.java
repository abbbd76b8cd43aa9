package org.charnwood.app.referrals;

import org.charnwood.app.web.FormErrors;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pathway's questionnaire as NHS.UK form fields, and the answers typed into them as a QuestionnaireResponse.
 * Every question is on the page, so the form works without JavaScript; a question that depends on another says
 * so in its hint, and an answer to a question that is not asked with the other answers given is left out.
 */
final class QuestionnaireForm {

    /** One option of a choice or yes/no question. */
    record Option(String value, String label, String id) {
    }

    /**
     * One question as the template shows it.
     *
     * @param id     the field id (the error summary links to it); a date's day input has it
     * @param name   the form parameter name (a date adds -day, -month, -year)
     * @param kind   string, text, boolean, choice, date, integer or display
     * @param value  what was typed or chosen ("true"/"false" for yes/no)
     */
    record Field(String linkId, String id, String name, String kind, String label, boolean required, String hint,
                 List<Option> options, String value, String day, String month, String year) {
    }

    private QuestionnaireForm() {
    }

    static String fieldId(String linkId) {
        return "item-" + linkId;
    }

    /** The questions, with the values typed (empty map for a new form). */
    static List<Field> fields(Questionnaire questionnaire, Map<String, String> typed) {
        Map<String, QuestionnaireItemComponent> byLinkId = new LinkedHashMap<>();
        questionnaire.getItem().forEach(i -> byLinkId.put(i.getLinkId(), i));
        List<Field> fields = new ArrayList<>();
        for (QuestionnaireItemComponent item : questionnaire.getItem()) {
            String id = fieldId(item.getLinkId());
            List<Option> options = new ArrayList<>();
            if (item.getType() == QuestionnaireItemType.BOOLEAN) {
                options.add(new Option("true", "Yes", id));
                options.add(new Option("false", "No", id + "-no"));
            } else if (item.getType() == QuestionnaireItemType.CHOICE) {
                boolean first = true;
                for (var option : item.getAnswerOption()) {
                    Coding c = option.getValueCoding();
                    options.add(new Option(c.getCode(), c.hasDisplay() ? c.getDisplay() : c.getCode(),
                            first ? id : id + "-" + c.getCode().replaceAll("[^A-Za-z0-9\\-_]", "_")));
                    first = false;
                }
            }
            fields.add(new Field(item.getLinkId(), id, id, item.getType().toCode(), item.getText(), item.getRequired(),
                    hint(item, byLinkId), options, typed.getOrDefault(id, ""), typed.getOrDefault(id + "-day", ""),
                    typed.getOrDefault(id + "-month", ""), typed.getOrDefault(id + "-year", "")));
        }
        return fields;
    }

    /** When the question is asked, in words: "Answer if you answered Yes to “Has the person fallen?”". */
    private static String hint(QuestionnaireItemComponent item, Map<String, QuestionnaireItemComponent> items) {
        List<String> parts = new ArrayList<>();
        for (var when : item.getEnableWhen()) {
            QuestionnaireItemComponent other = items.get(when.getQuestion());
            if (other == null) {
                continue;
            }
            String answer = switch (when.getAnswer()) {
                case BooleanType b -> b.booleanValue() ? "Yes" : "No";
                case Coding c -> other.getAnswerOption().stream().filter(o -> o.hasValueCoding()
                                && c.getCode().equals(o.getValueCoding().getCode()))
                        .map(o -> o.getValueCoding().getDisplay()).findFirst().orElse(c.getCode());
                default -> when.getAnswer().primitiveValue();
            };
            String verb = when.getOperator() == Questionnaire.QuestionnaireItemOperator.NOT_EQUAL
                    ? "did not answer " : "answered ";
            parts.add(verb + "‘" + answer + "’ to ‘" + other.getText() + "’");
        }
        if (parts.isEmpty()) {
            return item.getType() == QuestionnaireItemType.DATE ? "For example, 27 3 2024" : null;
        }
        String when = "Only if you " + String.join(item.getEnableBehavior()
                == Questionnaire.EnableWhenBehavior.ANY ? " or " : " and ", parts);
        return item.getType() == QuestionnaireItemType.DATE ? when + ". For example, 27 3 2024" : when;
    }

    /**
     * The answers typed, as a QuestionnaireResponse; problems with what was typed (not a number, not a real
     * date) and with the answers (required, not among the options) are added to {@code errors}.
     */
    static QuestionnaireResponse read(Questionnaire questionnaire, Map<String, String> typed, FormErrors errors,
                                      LocalDate today) {
        Map<String, List<Type>> answers = new LinkedHashMap<>();
        for (QuestionnaireItemComponent item : questionnaire.getItem()) {
            String id = fieldId(item.getLinkId());
            String value = typed.getOrDefault(id, "").trim();
            Type answer = null;
            switch (item.getType()) {
                case STRING, TEXT -> answer = value.isEmpty() ? null : new StringType(value);
                case BOOLEAN -> answer = value.isEmpty() ? null : new BooleanType("true".equals(value));
                case CHOICE -> answer = value.isEmpty() ? null : new Coding().setCode(value);
                case INTEGER -> {
                    if (!value.isEmpty()) {
                        try {
                            answer = new IntegerType(Integer.parseInt(value.replace(",", "")));
                        } catch (NumberFormatException e) {
                            errors.add(id, QuestionnaireAnswers.question(item) + ": enter a whole number, like 12");
                        }
                    }
                }
                case DATE -> {
                    String d = typed.getOrDefault(id + "-day", "").trim();
                    String m = typed.getOrDefault(id + "-month", "").trim();
                    String y = typed.getOrDefault(id + "-year", "").trim();
                    if (!(d + m + y).isEmpty()) {
                        try {
                            LocalDate date = LocalDate.of(Integer.parseInt(y), Integer.parseInt(m), Integer.parseInt(d));
                            if (y.length() != 4) {
                                throw new DateTimeException("year");
                            }
                            answer = new DateType(date.toString());
                        } catch (NumberFormatException | DateTimeException e) {
                            errors.add(id, QuestionnaireAnswers.question(item) + ": enter a real date, like 27 3 2024");
                        }
                    }
                }
                default -> {
                }
            }
            if (answer != null) {
                answers.put(item.getLinkId(), List.of(answer));
            }
        }
        QuestionnaireResponse response = new QuestionnaireResponse();
        response.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        for (QuestionnaireItemComponent item : questionnaire.getItem()) {
            List<Type> given = answers.get(item.getLinkId());
            // An answer to a question not asked with the other answers is not sent (the page shows every question).
            if (given != null && QuestionnaireAnswers.enabled(item, answers)) {
                var responseItem = response.addItem().setLinkId(item.getLinkId()).setText(item.getText());
                given.forEach(a -> responseItem.addAnswer().setValue(a));
            }
        }
        for (QuestionnaireAnswers.Problem problem : QuestionnaireAnswers.problems(questionnaire, response, today)) {
            errors.add(fieldId(problem.linkId()), problem.message());
        }
        return response;
    }

    /** The form parameters of a request, one value each. */
    static Map<String, String> typed(Map<String, String[]> parameters) {
        Map<String, String> typed = new LinkedHashMap<>();
        parameters.forEach((name, values) -> {
            if (values.length > 0) {
                typed.put(name, values[0]);
            }
        });
        return typed;
    }
}
