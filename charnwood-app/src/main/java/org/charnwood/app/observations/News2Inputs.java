package org.charnwood.app.observations;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One set of bedside observations as NEWS2 reads them. Any field may be null: a missing parameter makes the
 * score impossible to calculate (never a zero). Numbers are decimals because they arrive as FHIR quantities;
 * the calculator refuses fractions where NEWS2 expects whole numbers.
 *
 * @param respirationRate breaths per minute
 * @param oxygenSaturation SpO2 in percent
 * @param scale           the SpO2 scale in use for the patient (scale 1 unless a clinician decided otherwise)
 * @param onOxygen        true on supplemental oxygen, false breathing air
 * @param systolicPressure systolic blood pressure in mmHg
 * @param pulse           beats per minute
 * @param consciousness   ACVPU
 * @param temperature     degrees Celsius
 */
public record News2Inputs(BigDecimal respirationRate, BigDecimal oxygenSaturation, SpO2Scale scale, Boolean onOxygen,
                          BigDecimal systolicPressure, BigDecimal pulse, Consciousness consciousness,
                          BigDecimal temperature) {

    public News2Inputs {
        scale = scale == null ? SpO2Scale.SCALE_1 : scale;
    }

    /** The parameters not recorded in this set, in chart order. */
    public List<News2Parameter> missing() {
        List<News2Parameter> missing = new ArrayList<>();
        if (respirationRate == null) missing.add(News2Parameter.RESPIRATION_RATE);
        if (oxygenSaturation == null) missing.add(News2Parameter.OXYGEN_SATURATION);
        if (onOxygen == null) missing.add(News2Parameter.AIR_OR_OXYGEN);
        if (systolicPressure == null) missing.add(News2Parameter.SYSTOLIC_BLOOD_PRESSURE);
        if (pulse == null) missing.add(News2Parameter.PULSE);
        if (consciousness == null) missing.add(News2Parameter.CONSCIOUSNESS);
        if (temperature == null) missing.add(News2Parameter.TEMPERATURE);
        return missing;
    }
}
