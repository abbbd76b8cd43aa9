package org.charnwood.app.security.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each kind of record entry is called in plain words, as a patient would say it. The question an app asks
 * ("it will be able to see your medicines") and the page where a patient manages their carers' access use the same
 * words, so what a patient chose in one place reads the same in the other.
 */
public final class RecordEntryNames {

    private static final Map<String, String> THINGS = Map.ofEntries(
            Map.entry("*", "everything in %s health record"),
            Map.entry("Patient", "%s name, date of birth, address and contact details"),
            Map.entry("Observation", "%s test results and observations, such as blood pressure"),
            Map.entry("DiagnosticReport", "%s test results"),
            Map.entry("Condition", "%s health conditions"),
            Map.entry("AllergyIntolerance", "%s allergies"),
            Map.entry("Immunization", "%s vaccinations"),
            Map.entry("MedicationRequest", "%s medicines"),
            Map.entry("MedicationStatement", "%s medicines"),
            Map.entry("MedicationAdministration", "%s medicines"),
            Map.entry("MedicationDispense", "%s medicines"),
            Map.entry("Medication", "%s medicines"),
            Map.entry("Encounter", "%s appointments and visits"),
            Map.entry("Appointment", "%s appointments and visits"),
            Map.entry("Procedure", "treatments and operations %s had"),
            Map.entry("CarePlan", "%s care plans"),
            Map.entry("DocumentReference", "letters and documents in %s record"),
            Map.entry("QuestionnaireResponse", "forms and questionnaires %s filled in"),
            Map.entry("AuditEvent", "who has viewed %s record"));

    /**
     * The choices a patient has when sharing their record with a carer: each a thing in plain words and the types
     * of entry it covers (medicines are several types, one choice). Who the patient is always comes with it.
     */
    public static final Map<String, Set<String>> SHAREABLE;

    static {
        Map<String, Set<String>> shareable = new LinkedHashMap<>();
        shareable.put("Appointments", Set.of("Appointment", "Encounter"));
        shareable.put("CarePlans", Set.of("CarePlan"));
        shareable.put("Medicines", Set.of("MedicationRequest", "MedicationStatement", "MedicationAdministration",
                "MedicationDispense"));
        shareable.put("Observations", Set.of("Observation"));
        shareable.put("TestResults", Set.of("DiagnosticReport"));
        shareable.put("Conditions", Set.of("Condition"));
        shareable.put("Allergies", Set.of("AllergyIntolerance"));
        shareable.put("Vaccinations", Set.of("Immunization"));
        shareable.put("Treatments", Set.of("Procedure"));
        shareable.put("Letters", Set.of("DocumentReference"));
        shareable.put("Forms", Set.of("QuestionnaireResponse"));
        shareable.put("WhoViewed", Set.of("AuditEvent"));
        SHAREABLE = java.util.Collections.unmodifiableMap(shareable);
    }

    private RecordEntryNames() {
    }

    /** Whether the type has a name of its own (others are "other information in your record"). */
    public static boolean named(String type) {
        return THINGS.containsKey(type);
    }

    /** "your medicines", "their allergies", "treatments and operations you have had"... */
    public static String thing(String type, boolean carer) {
        String whose = carer ? "their" : "your";
        return THINGS.getOrDefault(type, "other information in %s record (" + type + ")")
                .formatted(type.equals("Procedure") || type.equals("QuestionnaireResponse")
                        ? (carer ? "they have" : "you have") : whose);
    }

    /** The things a set of types covers, in words, each once, in a steady order. */
    public static List<String> things(Set<String> types, boolean carer) {
        return types.stream().sorted().filter(RecordEntryNames::named).map(t -> thing(t, carer)).distinct().toList();
    }
}
