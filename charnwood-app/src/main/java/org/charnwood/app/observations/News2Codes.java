package org.charnwood.app.observations;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

import java.util.List;
import java.util.Set;

/**
 * The codes that identify each NEWS2 input among a patient's Observations, and the codes the derived score is
 * written with. Inputs may be coded in LOINC (the base R4 vital-signs profiles) or SNOMED CT (UK Core value set
 * roots and their common children); either is enough. See docs/observations.md.
 */
final class News2Codes {

    static final String SNOMED = "http://snomed.info/sct";
    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";

    static final String NEWS2_TOTAL = "1104051000000101";
    static final String NEWS2_TOTAL_DISPLAY =
            "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score";
    /** Where the clinical risk of a derived score is coded (Charnwood's own code system). */
    static final String RISK_SYSTEM = "https://charnwood.nhs.uk/fhir/CodeSystem/news2-clinical-risk";
    /** Where a clinician's decision to score SpO2 on scale 2 is coded, as an active Flag on the patient. */
    static final String SPO2_SCALE_SYSTEM = "https://charnwood.nhs.uk/fhir/CodeSystem/news2-spo2-scale";
    static final String SCALE_2 = "scale-2";

    static final Set<String> RESPIRATION_RATE = Set.of(LOINC + "|9279-1", SNOMED + "|86290005");
    static final Set<String> OXYGEN_SATURATION = Set.of(LOINC + "|2708-6", LOINC + "|59408-5",
            SNOMED + "|103228002", SNOMED + "|431314004");
    static final Set<String> PULSE = Set.of(LOINC + "|8867-4", SNOMED + "|364075005", SNOMED + "|78564009");
    static final Set<String> TEMPERATURE = Set.of(LOINC + "|8310-5", SNOMED + "|386725007", SNOMED + "|415945006",
            SNOMED + "|415974002", SNOMED + "|415882003");
    static final Set<String> SYSTOLIC = Set.of(LOINC + "|8480-6", SNOMED + "|271649006", SNOMED + "|72313002",
            SNOMED + "|163030003", SNOMED + "|407554009", SNOMED + "|407556006", SNOMED + "|400974009");
    static final Set<String> BLOOD_PRESSURE_PANEL = Set.of(LOINC + "|85354-9", SNOMED + "|75367002");
    static final String BREATHING_AIR = SNOMED + "|722742002";
    static final String ON_OXYGEN = SNOMED + "|371825009";
    static final String ACVPU = SNOMED + "|" + Consciousness.OBSERVATION_CODE;

    /** Every code above, quoted as it appears in a resource's JSON: {@code "8867-4"}. */
    private static final List<String> QUOTED_CODES = java.util.stream.Stream.of(RESPIRATION_RATE, OXYGEN_SATURATION,
                    PULSE, TEMPERATURE, SYSTOLIC, BLOOD_PRESSURE_PANEL,
                    Set.of(BREATHING_AIR, ON_OXYGEN, ACVPU, SNOMED + "|" + NEWS2_TOTAL))
            .flatMap(Set::stream)
            .map(systemAndCode -> '"' + systemAndCode.substring(systemAndCode.indexOf('|') + 1) + '"')
            .distinct()
            .toList();

    private News2Codes() {
    }

    /**
     * Whether a resource's JSON could hold a NEWS2 input or total: false only when none of the codes appears
     * in it at all, so a caller can skip parsing the many Observations (laboratory results, social history)
     * that can have nothing to do with NEWS2. A code appearing elsewhere just means the resource is parsed.
     */
    static boolean mayBeMentionedIn(String json) {
        for (String quoted : QUOTED_CODES) {
            if (json.contains(quoted)) {
                return true;
            }
        }
        return false;
    }

    static boolean has(CodeableConcept concept, Set<String> codes) {
        for (Coding coding : concept.getCoding()) {
            if (codes.contains(coding.getSystem() + "|" + coding.getCode())) {
                return true;
            }
        }
        return false;
    }

    static boolean has(CodeableConcept concept, String code) {
        return has(concept, Set.of(code));
    }

    /** Whether an Observation code marks it as one of the seven NEWS2 inputs (or a blood pressure panel). */
    static boolean isInput(CodeableConcept code) {
        return has(code, RESPIRATION_RATE) || has(code, OXYGEN_SATURATION) || has(code, PULSE)
                || has(code, TEMPERATURE) || has(code, SYSTOLIC) || has(code, BLOOD_PRESSURE_PANEL)
                || has(code, Set.of(BREATHING_AIR, ON_OXYGEN, ACVPU));
    }

    static boolean isNews2Total(CodeableConcept code) {
        return has(code, SNOMED + "|" + NEWS2_TOTAL);
    }
}
