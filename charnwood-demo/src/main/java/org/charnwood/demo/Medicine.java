package org.charnwood.demo;

import java.util.List;

/**
 * The medicines demo patients are prescribed: dm+d virtual medicinal products (VMPs) whose codes and names we
 * could check against published dm+d material (the NHSBSA dm+d extract, UK Core examples and NHS England's EPS
 * documentation). Psychotropics are missing on purpose: none could be checked here, and a made-up dm+d code in
 * demo data would teach the wrong thing. Add them once the terminology module holds real dm+d.
 */
enum Medicine {
    METFORMIN("325278007", "Metformin 500mg tablets", "One tablet twice a day with meals", 2, 1, true,
            List.of(ClinicalCodes.TYPE_2_DIABETES)),
    AMLODIPINE("319283006", "Amlodipine 5mg tablets", "One tablet once a day", 1, 1, true,
            List.of(ClinicalCodes.HYPERTENSION)),
    RAMIPRIL("318901006", "Ramipril 2.5mg capsules", "One capsule once a day", 1, 1, true,
            List.of(ClinicalCodes.HEART_FAILURE, ClinicalCodes.CHRONIC_CONGESTIVE_HEART_FAILURE,
                    ClinicalCodes.HYPERTENSION, ClinicalCodes.ISCHAEMIC_HEART_DISEASE)),
    FUROSEMIDE("317972000", "Furosemide 40mg tablets", "One tablet each morning", 1, 1, true,
            List.of(ClinicalCodes.HEART_FAILURE, ClinicalCodes.CHRONIC_CONGESTIVE_HEART_FAILURE,
                    ClinicalCodes.OEDEMA)),
    CO_AMILOFRUSE("318136009", "Co-amilofruse 5mg/40mg tablets", "One tablet each morning", 1, 1, true,
            List.of(ClinicalCodes.OEDEMA, ClinicalCodes.CHRONIC_CONGESTIVE_HEART_FAILURE)),
    SALBUTAMOL("39113611000001102", "Salbutamol 100micrograms/dose inhaler CFC free",
            "Two puffs when required for breathlessness", 0, 2, true,
            List.of(ClinicalCodes.COPD, ClinicalCodes.ASTHMA)),
    PARACETAMOL("322236009", "Paracetamol 500mg tablets", "One or two tablets up to four times a day when required",
            0, 2, true, List.of(ClinicalCodes.OSTEOARTHRITIS_KNEE, ClinicalCodes.CHRONIC_PAIN,
                    ClinicalCodes.PRESSURE_ULCER)),
    MORPHINE_MR("36126511000001106", "Morphine 10mg modified-release tablets", "One tablet twice a day", 2, 1, true,
            List.of(ClinicalCodes.CHRONIC_PAIN)),
    AMOXICILLIN("39732311000001104", "Amoxicillin 250mg capsules", "One capsule three times a day for 5 days", 3, 1,
            false, List.of(ClinicalCodes.PNEUMONIA, ClinicalCodes.CELLULITIS, ClinicalCodes.CYSTITIS)),
    DIAZEPAM("321196004", "Diazepam 2mg tablets", "One tablet up to three times a day for up to 5 days", 3, 1,
            false, List.of(ClinicalCodes.PANIC, ClinicalCodes.ALCOHOLISM)),
    TEMAZEPAM("321152004", "Temazepam 10mg tablets", "One tablet at night for up to 7 nights", 1, 1, false,
            List.of(ClinicalCodes.SLEEP_DISORDER));

    private final String vmpCode;
    private final String vmpName;
    private final String dosage;
    private final int timesPerDay;
    private final int dose;
    private final boolean longTerm;
    private final List<Code> indications;

    Medicine(String vmpCode, String vmpName, String dosage, int timesPerDay, int dose, boolean longTerm,
             List<Code> indications) {
        this.vmpCode = vmpCode;
        this.vmpName = vmpName;
        this.dosage = dosage;
        this.timesPerDay = timesPerDay;
        this.dose = dose;
        this.longTerm = longTerm;
        this.indications = indications;
    }

    Code code() {
        return new Code(Code.DMD, vmpCode, vmpName);
    }

    String dosage() {
        return dosage;
    }

    /** Zero for medicines taken only when required. */
    int timesPerDay() {
        return timesPerDay;
    }

    int dose() {
        return dose;
    }

    boolean longTerm() {
        return longTerm;
    }

    boolean inhaled() {
        return this == SALBUTAMOL;
    }

    boolean treats(String conditionCode) {
        return indications.stream().anyMatch(c -> c.code().equals(conditionCode));
    }
}
