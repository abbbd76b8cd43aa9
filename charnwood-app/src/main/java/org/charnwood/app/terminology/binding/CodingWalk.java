package org.charnwood.app.terminology.binding;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every Coding in a resource (contained resources and bundle entries included) with the FHIRPath of the element,
 * e.g. {@code MedicationRequest.medicationCodeableConcept.coding[0]}, and whether it is a medication code.
 */
public final class CodingWalk {

    /** A Coding found, its path and whether it codes a medicine. */
    public record Found(Coding coding, String path, boolean medication) {
    }

    private static final Set<String> MEDICATION_PATHS = Set.of("Medication.code", "MedicationRequest.medicationCodeableConcept",
            "MedicationStatement.medicationCodeableConcept", "MedicationAdministration.medicationCodeableConcept",
            "MedicationDispense.medicationCodeableConcept");

    private CodingWalk() {
    }

    public static List<Found> codings(Resource resource) {
        List<Found> out = new ArrayList<>();
        walk(resource, resource.fhirType(), resource.fhirType(), out);
        return out;
    }

    private static void walk(Base element, String path, String shortPath, List<Found> out) {
        if (element instanceof Coding coding) {
            int cut = shortPath.lastIndexOf(".coding");
            out.add(new Found(coding, path, cut > 0 && MEDICATION_PATHS.contains(shortPath.substring(0, cut))));
            return;
        }
        if (element instanceof PrimitiveType<?>) {
            return;
        }
        for (Property property : element.children()) {
            if (!property.hasValues()) {
                continue;
            }
            List<Base> values = property.getValues();
            boolean many = property.getMaxCardinality() > 1;
            String name = property.getName();
            if (name.endsWith("[x]")) {
                // choice elements are named after the type they hold, as FHIRPath writes them in paths
                name = name.substring(0, name.length() - 3);
            }
            for (int i = 0; i < values.size(); i++) {
                Base value = values.get(i);
                if (value == null || value.isEmpty()) {
                    continue;
                }
                String childName = property.getName().endsWith("[x]") ? name + capital(value.fhirType()) : name;
                if (value instanceof Resource r) {
                    // a resource inside a resource (contained, Bundle.entry.resource) starts a new medication scope
                    walk(value, path + "." + childName + (many ? "[" + i + "]" : ""), r.fhirType(), out);
                } else {
                    walk(value, path + "." + childName + (many ? "[" + i + "]" : ""), shortPath + "." + childName, out);
                }
            }
        }
    }

    private static String capital(String type) {
        return type.isEmpty() ? type : Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }
}
