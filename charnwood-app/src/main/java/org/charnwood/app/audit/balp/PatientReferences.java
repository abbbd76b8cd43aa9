package org.charnwood.app.audit.balp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Set;

/**
 * Finds the patients whose data a resource holds: the Patient itself, or every Patient it refers to
 * (subject, patient, beneficiary, members ...). It reads the stored JSON with a streaming parser rather
 * than building the model, because it runs on every resource every response returns. Any reference to a
 * Patient counts: the audit trail would rather name a patient too many than one too few.
 */
public final class PatientReferences {

    private static final JsonFactory JSON = new JsonFactory();

    private PatientReferences() {
    }

    /** Adds the ids of the patients {@code json} (a resource of {@code type}) holds data about. */
    public static void collect(String type, String id, String json, Set<String> into) {
        if ("Patient".equals(type) && id != null) {
            into.add(id);
        }
        if (json == null || json.indexOf("Patient/") < 0) {
            return;
        }
        if (!scanCompact(json, into)) {
            parse(json, into);
        }
    }

    /**
     * Reads the references straight from the text when it is written compactly ({@code "reference":"..."}, no
     * escapes), as the store writes it; false, having added nothing, when it is in any other shape, for the
     * parser to read. Inside a JSON string a quote is always escaped, so an unescaped {@code "reference":"}
     * can only be a member name followed by its string value.
     */
    static boolean scanCompact(String json, Set<String> into) {
        if (json.indexOf('\\') >= 0) {
            return false;
        }
        java.util.List<String> found = null;
        int from = 0;
        while (true) {
            int at = json.indexOf(REFERENCE, from);
            if (at < 0) {
                break;
            }
            int value = at + REFERENCE.length();
            if (value + 1 >= json.length() || json.charAt(value) != ':' || json.charAt(value + 1) != '"') {
                return false;
            }
            int end = json.indexOf('"', value + 2);
            if (end < 0) {
                return false;
            }
            String patient = patientId(json.substring(value + 2, end));
            if (patient != null) {
                if (found == null) {
                    found = new java.util.ArrayList<>(2);
                }
                found.add(patient);
            }
            from = end + 1;
        }
        if (found != null) {
            into.addAll(found);
        }
        return true;
    }

    private static final String REFERENCE = "\"reference\"";

    private static void parse(String json, Set<String> into) {
        try (JsonParser p = JSON.createParser(json)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "reference".equals(p.currentName())) {
                    if (p.nextToken() == JsonToken.VALUE_STRING) {
                        String patient = patientId(p.getText());
                        if (patient != null) {
                            into.add(patient);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored resource is not JSON", e);
        }
    }

    /** {@code Patient/1}, {@code https://host/fhir/Patient/1/_history/2} → {@code 1}; null for anything else. */
    public static String patientId(String reference) {
        if (reference == null) {
            return null;
        }
        int at = reference.startsWith("Patient/") ? 0 : reference.lastIndexOf("/Patient/") + 1;
        if (at < 0 || (at == 0 && !reference.startsWith("Patient/"))) {
            return null;
        }
        String rest = reference.substring(at + "Patient/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() || id.startsWith("#") ? null : id;
    }
}
