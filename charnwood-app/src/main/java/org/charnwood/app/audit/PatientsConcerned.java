package org.charnwood.app.audit;

import org.charnwood.app.audit.balp.PatientReferences;

import java.util.Set;

/**
 * The patients whose data a stored resource holds, as the audit trail names them: the Patient itself, or every
 * Patient it refers to. For modules that release data other than through the FHIR responses the trail already
 * sees (a bulk export's files), so that their records name the same patients a read of the same resources would;
 * and for the FHIR API's record of a write that failed, the patients it would have changed.
 */
public final class PatientsConcerned {

    private PatientsConcerned() {
    }

    /** Adds the ids of the patients {@code json} (a resource of {@code type} with {@code id}) holds data about. */
    public static void collect(String type, String id, String json, Set<String> into) {
        PatientReferences.collect(type, id, json, into);
    }

    /** The patient a reference names ({@code Patient/1}, or an absolute URL ending so), or null. */
    public static String patientOf(String reference) {
        return PatientReferences.patientId(reference);
    }
}
