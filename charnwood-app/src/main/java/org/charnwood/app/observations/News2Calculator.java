package org.charnwood.app.observations;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.Map;

/**
 * Scores a set of observations exactly as the Royal College of Physicians' NEWS2 chart does (NEWS2 © Royal
 * College of Physicians 2017). The bands are fixed by the chart and deliberately not configurable. All bounds
 * are inclusive; whole-number parameters that arrive with a fraction are refused rather than rounded, because a
 * value such as 91.5 falls between two published bands. Temperature is rounded half-up to one decimal place
 * before scoring, so 36.05 scores as 36.1.
 */
public final class News2Calculator {

    /** Scores a complete set; refuses an incomplete one (see {@link News2Inputs#missing()}). */
    public News2Score score(News2Inputs inputs) {
        if (!inputs.missing().isEmpty()) {
            throw new IllegalArgumentException("NEWS2 cannot be calculated: missing " + inputs.missing());
        }
        BigDecimal temperature = inputs.temperature().setScale(1, RoundingMode.HALF_UP);
        Map<News2Parameter, Integer> scores = new EnumMap<>(News2Parameter.class);
        scores.put(News2Parameter.RESPIRATION_RATE, respirationRate(whole(inputs.respirationRate(), "respiration rate")));
        int saturation = whole(inputs.oxygenSaturation(), "oxygen saturation");
        scores.put(News2Parameter.OXYGEN_SATURATION, inputs.scale() == SpO2Scale.SCALE_2
                ? saturationScale2(saturation, inputs.onOxygen()) : saturationScale1(saturation));
        scores.put(News2Parameter.AIR_OR_OXYGEN, inputs.onOxygen() ? 2 : 0);
        scores.put(News2Parameter.SYSTOLIC_BLOOD_PRESSURE, systolic(whole(inputs.systolicPressure(), "systolic blood pressure")));
        scores.put(News2Parameter.PULSE, pulse(whole(inputs.pulse(), "pulse")));
        scores.put(News2Parameter.CONSCIOUSNESS, inputs.consciousness() == Consciousness.ALERT ? 0 : 3);
        scores.put(News2Parameter.TEMPERATURE, temperature(temperature));
        return new News2Score(scores, inputs.scale(), temperature);
    }

    static int respirationRate(int rate) {
        if (rate <= 8) return 3;
        if (rate <= 11) return 1;
        if (rate <= 20) return 0;
        if (rate <= 24) return 2;
        return 3;
    }

    static int saturationScale1(int spo2) {
        if (spo2 <= 91) return 3;
        if (spo2 <= 93) return 2;
        if (spo2 <= 95) return 1;
        return 0;
    }

    static int saturationScale2(int spo2, boolean onOxygen) {
        if (spo2 <= 83) return 3;
        if (spo2 <= 85) return 2;
        if (spo2 <= 87) return 1;
        if (spo2 <= 92 || !onOxygen) return 0;
        // Above target while on oxygen: over-oxygenation risks CO2 retention, so it scores.
        if (spo2 <= 94) return 1;
        if (spo2 <= 96) return 2;
        return 3;
    }

    static int systolic(int mmHg) {
        if (mmHg <= 90) return 3;
        if (mmHg <= 100) return 2;
        if (mmHg <= 110) return 1;
        if (mmHg <= 219) return 0;
        return 3;
    }

    static int pulse(int bpm) {
        if (bpm <= 40) return 3;
        if (bpm <= 50) return 1;
        if (bpm <= 90) return 0;
        if (bpm <= 110) return 1;
        if (bpm <= 130) return 2;
        return 3;
    }

    static int temperature(BigDecimal celsius) {
        if (celsius.compareTo(new BigDecimal("35.0")) <= 0) return 3;
        if (celsius.compareTo(new BigDecimal("36.0")) <= 0) return 1;
        if (celsius.compareTo(new BigDecimal("38.0")) <= 0) return 0;
        if (celsius.compareTo(new BigDecimal("39.0")) <= 0) return 1;
        return 2;
    }

    private static int whole(BigDecimal value, String name) {
        try {
            return value.stripTrailingZeros().intValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(name + " must be a whole number for NEWS2, not " + value.toPlainString());
        }
    }
}
