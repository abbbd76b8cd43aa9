package org.charnwood.app.security;

import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * A handler names the patient its request is aimed at before it may refuse it, when the patient is in the body
 * (a JSON request's {@code patientId}): should the request be refused or fail, its audit record names that
 * patient (when they exist), as one naming the patient in its address does.
 */
public final class RequestAimedAt {

    private static final String ATTRIBUTE = RequestAimedAt.class.getName();
    private static final String MADE = ATTRIBUTE + ".made";

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
}
