package org.charnwood.app.workspace;

/**
 * The codes and constraints of a recorded contact and of a discharge, in one place because the forms, the stored
 * resources, the record summary and docs/workspace.md must agree on them.
 */
final class ContactCoding {

    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    static final String SNOMED = "http://snomed.info/sct";

    /** What a contact may be for: the constraint UK Core's Encounter reason binding uses. */
    static final String REASON_ECL = "<< 404684003 |Clinical finding| OR << 71388002 |Procedure|"
            + " OR << 243796009 |Situation with explicit context|";

    /**
     * What came of a contact: what was found (a finding, such as an improved condition) or what was done or
     * arranged next (a procedure, such as a referral on, a follow-up or a discharge).
     */
    static final String OUTCOME_ECL = "<< 404684003 |Clinical finding| OR << 71388002 |Procedure|";

    /**
     * Why an episode ended: a finding ("condition resolved"), a situation ("treatment completed", "declined
     * further care") or an event (moved out of the area, death).
     */
    static final String DISCHARGE_REASON_ECL = "<< 404684003 |Clinical finding|"
            + " OR << 243796009 |Situation with explicit context| OR << 272379006 |Event|";

    /** UK Core's outcome-of-attendance extension (extensible binding, so a SNOMED CT outcome is allowed). */
    static final String OUTCOME_EXTENSION =
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-OutcomeOfAttendance";

    /** Marks a contact the patient did not attend (R4 Encounter has no such status; it is stored cancelled). */
    static final String DID_NOT_ATTEND_EXTENSION = "https://charnwood.nhs.uk/fhir/StructureDefinition/did-not-attend";

    /** Why an episode of care ended (R4 EpisodeOfCare has no element for it). */
    static final String DISCHARGE_REASON_EXTENSION =
            "https://charnwood.nhs.uk/fhir/StructureDefinition/discharge-reason";

    /** The clinical note's document type: SNOMED CT 371531000 |Report of clinical encounter|. */
    static final String NOTE_TYPE_CODE = "371531000";
    static final String NOTE_TYPE_DISPLAY = "Report of clinical encounter";

    static final String UK_CORE_ENCOUNTER = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter";

    private ContactCoding() {
    }

    /** The consultation mechanisms the form offers: v3 ActCode, as the referral clocks read them. */
    enum Mechanism {
        HH("Face to face at home", "home health"),
        AMB("Face to face in clinic", "ambulatory"),
        VR("Telephone or video", "virtual");

        final String label;
        final String display;

        Mechanism(String label, String display) {
            this.label = label;
            this.display = display;
        }

        public String label() {
            return label;
        }

        public String code() {
            return name();
        }
    }
}
