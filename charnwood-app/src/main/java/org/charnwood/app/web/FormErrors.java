package org.charnwood.app.web;

import org.springframework.http.HttpStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The problems found in a submitted form, in the order of the form's fields, for the NHS.UK error pattern: an
 * error summary at the top linking to each field, and the same message beside the field. Server-side
 * validation fills it; the page is shown again with what was typed and nothing is saved. A form shown again
 * with problems answers with {@link #status()} ({@link RefusedForms} sees to it), so that a refused save never
 * looks like a successful one to a browser, a proxy or a test.
 */
public final class FormErrors {

    /** One problem: the id of the field (the summary links to it) and the message. */
    public record Problem(String field, String message) {
    }

    /** The field of the message saying that someone else changed the record since the form was opened. */
    public static final String CONFLICT = "conflict";

    private final Map<String, String> problems = new LinkedHashMap<>();
    private HttpStatus status = HttpStatus.UNPROCESSABLE_ENTITY;

    /** Records a problem with a field; the first problem found for a field is the one shown. */
    public FormErrors add(String field, String message) {
        problems.putIfAbsent(field, message);
        return this;
    }

    /**
     * Records that what the form would change is no longer what the person saw: someone else changed it after the
     * form was opened, or it has already been decided. The form is answered 409 rather than 422, since nothing the
     * person typed was wrong.
     */
    public FormErrors conflict(String field, String message) {
        add(field, message);
        status = HttpStatus.CONFLICT;
        return this;
    }

    /**
     * Records that the person may not do what the form asks, whatever they type (an officer reviewing their own
     * doing): said beside the field as any problem, but answered 403, since no correction of the input would help.
     */
    public FormErrors forbidden(String field, String message) {
        add(field, message);
        status = HttpStatus.FORBIDDEN;
        return this;
    }

    /** Someone else saved the record after the form was opened: the message goes above the form. */
    public FormErrors changedMeanwhile(String message) {
        return conflict(CONFLICT, message);
    }

    /**
     * What the form answers when shown again: 422 for input to fix, 409 for a conflict, 403 for what the person may
     * not do, 200 with no problems.
     */
    public HttpStatus status() {
        return problems.isEmpty() ? HttpStatus.OK : status;
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
