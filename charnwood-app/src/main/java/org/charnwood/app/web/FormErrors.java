package org.charnwood.app.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The problems found in a submitted form, in the order of the form's fields, for the NHS.UK error pattern: an
 * error summary at the top linking to each field, and the same message beside the field. Server-side
 * validation fills it; the page is shown again with what was typed and nothing is saved.
 */
public final class FormErrors {

    /** One problem: the id of the field (the summary links to it) and the message. */
    public record Problem(String field, String message) {
    }

    private final Map<String, String> problems = new LinkedHashMap<>();

    /** Records a problem with a field; the first problem found for a field is the one shown. */
    public FormErrors add(String field, String message) {
        problems.putIfAbsent(field, message);
        return this;
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public boolean has(String field) {
        return problems.containsKey(field);
    }

    /** The message for a field, or null when it has none. */
    public String message(String field) {
        return problems.get(field);
    }

    public List<Problem> problems() {
        List<Problem> list = new ArrayList<>();
        problems.forEach((field, message) -> list.add(new Problem(field, message)));
        return list;
    }
}
