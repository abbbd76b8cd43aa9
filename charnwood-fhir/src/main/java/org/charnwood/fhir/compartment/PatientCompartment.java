package org.charnwood.fhir.compartment;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import org.charnwood.fhir.FhirContexts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The R4 Patient compartment: for each resource type, the search parameters whose reference makes
 * a resource part of a patient's record (for example Observation.subject, Encounter.patient).
 * Taken from the compartment definitions built into the R4 model, not written by hand, with one
 * addition from R5: a Task for a patient ({@code Task.for}, or a {@code focus} that is the patient)
 * is part of their record. R4 left Task out, so a Task saying "NEWS2 13, emergency assessment"
 * would otherwise belong to nobody's record and be guarded as reference data.
 */
public final class PatientCompartment {

    /** Types R5 added to the Patient compartment, with the R4 search parameters that carry their link. */
    private static final Map<String, List<String>> FROM_R5 = Map.of("Task", List.of("focus", "patient"));

    private static final PatientCompartment INSTANCE = new PatientCompartment();

    private final Map<String, List<String>> paramsByType = new TreeMap<>();

    private PatientCompartment() {
        var ctx = FhirContexts.r4();
        for (String type : ctx.getResourceTypes()) {
            RuntimeResourceDefinition def = ctx.getResourceDefinition(type);
            List<String> params = new ArrayList<>();
            for (RuntimeSearchParam p : def.getSearchParams()) {
                var compartments = p.getProvidesMembershipInCompartments();
                if (compartments != null && compartments.contains("Patient")) {
                    params.add(p.getName());
                }
            }
            if (!params.isEmpty()) {
                paramsByType.put(type, List.copyOf(params));
            }
        }
        FROM_R5.forEach(paramsByType::putIfAbsent);
    }

    public static PatientCompartment get() {
        return INSTANCE;
    }

    /** Resource type → the reference parameters that tie it to a patient. */
    public Map<String, List<String>> membership() {
        return paramsByType;
    }
}
