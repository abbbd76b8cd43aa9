package org.charnwood.app.observations;

/**
 * The seven NEWS2 parameters, each with the UK Core sub-score code its score is recorded under (SNOMED CT UK
 * extension observable entities, from the UKCore-EarlyWarningSubScore value set). Oxygen saturation has one
 * code per scale; only the scale in use is ever scored.
 */
public enum News2Parameter {
    RESPIRATION_RATE("1104301000000104", "Royal College of Physicians NEWS2 (National Early Warning Score 2) - respiration rate score"),
    OXYGEN_SATURATION("1104311000000102", "Royal College of Physicians NEWS2 (National Early Warning Score 2) - oxygen saturation scale 1 score"),
    AIR_OR_OXYGEN("1104331000000105", "Royal College of Physicians NEWS2 (National Early Warning Score 2) - air or oxygen score"),
    SYSTOLIC_BLOOD_PRESSURE("1104341000000101", "Royal College of Physicians NEWS2 (National Early Warning Score 2) - systolic blood pressure score"),
    PULSE("1104351000000103", "Royal College of Physicians NEWS2 (National Early Warning Score 2) - pulse score"),
    CONSCIOUSNESS("1104361000000100", "Royal College of Physicians NEWS2 (National Early Warning Score 2) - consciousness score"),
    TEMPERATURE("1104371000000107", "Royal College of Physicians NEWS2 (National Early Warning Score 2) - temperature score");

    /** The sub-score code for oxygen saturation scored on scale 2. */
    public static final String SCALE_2_SATURATION_CODE = "1104321000000108";
    public static final String SCALE_2_SATURATION_DISPLAY =
            "Royal College of Physicians NEWS2 (National Early Warning Score 2) - oxygen saturation scale 2 score";

    private final String subScoreCode;
    private final String subScoreDisplay;

    News2Parameter(String subScoreCode, String subScoreDisplay) {
        this.subScoreCode = subScoreCode;
        this.subScoreDisplay = subScoreDisplay;
    }

    /** The SNOMED CT code of this parameter's sub-score, given the SpO2 scale in use. */
    public String subScoreCode(SpO2Scale scale) {
        return this == OXYGEN_SATURATION && scale == SpO2Scale.SCALE_2 ? SCALE_2_SATURATION_CODE : subScoreCode;
    }

    public String subScoreDisplay(SpO2Scale scale) {
        return this == OXYGEN_SATURATION && scale == SpO2Scale.SCALE_2 ? SCALE_2_SATURATION_DISPLAY : subScoreDisplay;
    }
}
