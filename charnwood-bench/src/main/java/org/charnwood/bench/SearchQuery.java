package org.charnwood.bench;

/** The seven searches of the mix: what a community or mental-health clinician's screens ask for most. */
enum SearchQuery {
    NHS_NUMBER("1. Patient by NHS number"),
    FAMILY_AND_BIRTHDATE("2. Patient by family name + birth date"),
    RECENT_OBSERVATIONS("3. Observation by subject + code, _sort=-date, _count=10"),
    RECENT_ENCOUNTERS("4. Encounter by patient + date=ge"),
    ACTIVE_CONDITIONS("5. Condition by patient + clinical-status"),
    ACTIVE_MEDICATIONS("6. MedicationRequest by patient + status=active"),
    PATIENT_PREFIX("7. Patient by postcode district or name prefix, _count=20");

    private final String label;

    SearchQuery(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
