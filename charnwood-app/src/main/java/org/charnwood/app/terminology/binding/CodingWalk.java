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
        walk(resource, new Step(null, resource.fhirType()), new Step(null, resource.fhirType()), out);
        return out;
    }

    /**
     * One step of a path, linked to its parent. Paths are spelled out only for the Codings found: building the
     * text of every element's path, most of which hold no Coding, cost more than the walk itself.
     */
    private record Step(Step parent, String name, int index) {

        Step(Step parent, String name) {
            this(parent, name, -1);
        }

        String text() {
            StringBuilder sb = new StringBuilder();
            append(sb);
            return sb.toString();
        }

        private void append(StringBuilder sb) {
            if (parent != null) {
                parent.append(sb);
                sb.append('.');
            }
            sb.append(name);
            if (index >= 0) {
                sb.append('[').append(index).append(']');
            }
        }
    }

    private static void walk(Base element, Step path, Step shortPath, List<Found> out) {
        if (element instanceof Coding coding) {
            String shortText = shortPath.text();
            int cut = shortText.lastIndexOf(".coding");
            out.add(new Found(coding, path.text(), cut > 0 && MEDICATION_PATHS.contains(shortText.substring(0, cut))));
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
            boolean choice = name.endsWith("[x]");
            if (choice) {
                // choice elements are named after the type they hold, as FHIRPath writes them in paths
                name = name.substring(0, name.length() - 3);
            }
            for (int i = 0; i < values.size(); i++) {
                Base value = values.get(i);
                // Only Codings and resources are asked whether they are empty: asking every element walks its
                // whole subtree again at each level. An empty element can hold nothing but empty Codings, which
                // are skipped where they are found, so the Codings found are the same.
                if (value == null || value instanceof PrimitiveType<?>
                        || ((value instanceof Coding || value instanceof Resource) && value.isEmpty())) {
                    continue;
                }
                String childName = choice ? name + capital(value.fhirType()) : name;
                Step child = new Step(path, childName, many ? i : -1);
                if (value instanceof Resource r) {
                    // a resource inside a resource (contained, Bundle.entry.resource) starts a new medication scope
                    walk(value, child, new Step(null, r.fhirType()), out);
                } else {
                    walk(value, child, new Step(shortPath, childName), out);
                }
            }
        }
    }

    private static String capital(String type) {
        return type.isEmpty() ? type : Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }
}
