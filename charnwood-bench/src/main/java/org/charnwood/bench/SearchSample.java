package org.charnwood.bench;

import java.util.List;

/**
 * Facts sampled from the server before a search run, from which the mix builds queries that find something:
 * patients' identifiers and demographics, and which patients have observations with which codes, plus anything
 * odd the server did while being sampled.
 */
record SearchSample(List<PatientFacts> patients, List<ObservationFacts> observations, List<String> notes) {

    SearchSample {
        patients = List.copyOf(patients);
        observations = List.copyOf(observations);
        notes = List.copyOf(notes);
    }

    /** What the mix needs of one patient; any value but the id may be null when the record lacks it. */
    record PatientFacts(String id, String nhsNumber, String family, String birthDate, String postcode) {
    }

    /** A patient with an observation of {@code system|code}. */
    record ObservationFacts(String patientId, String system, String code) {
    }
}
