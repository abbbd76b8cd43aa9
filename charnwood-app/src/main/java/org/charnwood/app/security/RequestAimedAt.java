package org.charnwood.app.security;

import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * A handler names the patient its request is aimed at before it may refuse it, when the patient is in the body
 * (a JSON request's {@code patientId}): should the request be refused or fail, its audit record names that
 * patient (when they exist), as one naming the patient in its address does. A request aimed at something of the
 * record that is not the patient (an escalation Task, a team's day, a review) names the patients it concerns
 * ({@link #concerning}), worked out from the record only when it is refused or fails.
 */
public final class RequestAimedAt {

    private static final String ATTRIBUTE = RequestAimedAt.class.getName();
    private static final String MADE = ATTRIBUTE + ".made";
    private static final String CONCERNING = ATTRIBUTE + ".concerning";

    private RequestAimedAt() {
    }

    public static void patient(HttpServletRequest request, String patientId) {
        if (patientId == null || patientId.isBlank()) {
            return;
        }
        named(request).add(patientId.startsWith("Patient/") ? patientId.substring("Patient/".length()) : patientId);
    }

    /** The patient ids named so far (the audit trail reads them). */
    @SuppressWarnings("unchecked")
    public static List<String> named(HttpServletRequest request) {
        if (!(request.getAttribute(ATTRIBUTE) instanceof List<?>)) {
            request.setAttribute(ATTRIBUTE, new ArrayList<String>());
        }
        return (List<String>) request.getAttribute(ATTRIBUTE);
    }

    /**
     * The request made something for the patient it named ({@link #patient}) that is not a resource (a launch
     * context an app will open their record with): its record names them when it succeeds too, as a creation
     * (action C), not only when it fails.
     */
    public static void madeFor(HttpServletRequest request, String patientId) {
        patient(request, patientId);
        request.setAttribute(MADE, Boolean.TRUE);
    }

    /** Whether the request made something for the patients it named (the audit trail reads it). */
    public static boolean made(HttpServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(MADE));
    }

    /**
     * The request concerns the patients {@code found} finds in the record (the patient of the escalation it answers,
     * those whose visits it would publish): should it be refused or fail, its audit record names them all, so that
     * the attempt is in each one's access history. {@code found} is asked only then, by the audit trail, whose
     * look-ups are neither shown to the caller nor recorded as the request's reads; it may find none. The ids come
     * from the record, not from the request, so they are named as found, however many.
     */
    public static void concerning(HttpServletRequest request, Supplier<? extends Collection<String>> found) {
        concerned(request).add(found);
    }

    /** What finds the patients the request concerns ({@link #concerning}; the audit trail asks them). */
    @SuppressWarnings("unchecked")
    public static List<Supplier<? extends Collection<String>>> concerned(HttpServletRequest request) {
        if (!(request.getAttribute(CONCERNING) instanceof List<?>)) {
            request.setAttribute(CONCERNING, new ArrayList<Supplier<? extends Collection<String>>>());
        }
        return (List<Supplier<? extends Collection<String>>>) request.getAttribute(CONCERNING);
    }
}
