package org.charnwood.app.workspace;

import org.charnwood.app.observations.Consciousness;
import org.charnwood.app.observations.News2Inputs;
import org.charnwood.app.observations.SpO2Scale;
import org.charnwood.app.web.FormErrors;

import java.math.BigDecimal;

/**
 * The bedside observations form as typed. Every field is text so that what was typed can be shown again with
 * its error; {@link #validate} turns it into NEWS2 inputs or says what is wrong. A field left empty is allowed
 * (a patient may refuse one), but at least one observation must be recorded.
 */
final class BedsideObservationsForm {

    private String respirationRate;
    private String oxygenSaturation;
    private String airOrOxygen;
    private String systolicPressure;
    private String pulse;
    private String consciousness;
    private String temperature;

    public String getRespirationRate() { return respirationRate; }
    public void setRespirationRate(String v) { respirationRate = v; }
    public String getOxygenSaturation() { return oxygenSaturation; }
    public void setOxygenSaturation(String v) { oxygenSaturation = v; }
    public String getAirOrOxygen() { return airOrOxygen; }
    public void setAirOrOxygen(String v) { airOrOxygen = v; }
    public String getSystolicPressure() { return systolicPressure; }
    public void setSystolicPressure(String v) { systolicPressure = v; }
    public String getPulse() { return pulse; }
    public void setPulse(String v) { pulse = v; }
    public String getConsciousness() { return consciousness; }
    public void setConsciousness(String v) { consciousness = v; }
    public String getTemperature() { return temperature; }
    public void setTemperature(String v) { temperature = v; }

    /** The inputs when the form is valid; otherwise null, with every problem added to {@code errors}. */
    News2Inputs validate(SpO2Scale scale, FormErrors errors) {
        BigDecimal rr = whole(respirationRate, "respirationRate", "Respiration rate", 1, 80, errors);
        BigDecimal spo2 = whole(oxygenSaturation, "oxygenSaturation", "Oxygen saturation", 50, 100, errors);
        Boolean onOxygen = null;
        if (present(airOrOxygen)) {
            switch (airOrOxygen) {
                case "air" -> onOxygen = false;
                case "oxygen" -> onOxygen = true;
                default -> errors.add("airOrOxygen", "Select air or oxygen");
            }
        }
        BigDecimal systolic = whole(systolicPressure, "systolicPressure", "Systolic blood pressure", 40, 300, errors);
        BigDecimal heartRate = whole(pulse, "pulse", "Pulse", 20, 250, errors);
        Consciousness level = null;
        if (present(consciousness)) {
            try {
                level = Consciousness.valueOf(consciousness);
            } catch (IllegalArgumentException e) {
                errors.add("consciousness", "Select the patient's level of consciousness");
            }
        }
        BigDecimal celsius = null;
        if (present(temperature)) {
            String typed = temperature.trim();
            if (!typed.matches("\\d{2}(\\.\\d)?")) {
                errors.add("temperature", "Temperature must be a number in degrees Celsius with at most one "
                        + "decimal place, like 37.2");
            } else {
                celsius = new BigDecimal(typed);
                if (celsius.compareTo(new BigDecimal("25.0")) < 0 || celsius.compareTo(new BigDecimal("45.0")) > 0) {
                    errors.add("temperature", "Temperature must be between 25.0 and 45.0 degrees Celsius");
                    celsius = null;
                }
            }
        }
        if (errors.isEmpty() && rr == null && spo2 == null && onOxygen == null && systolic == null
                && heartRate == null && level == null && celsius == null) {
            errors.add("respirationRate", "Enter at least one observation");
        }
        return errors.isEmpty() ? new News2Inputs(rr, spo2, scale, onOxygen, systolic, heartRate, level, celsius)
                : null;
    }

    private static BigDecimal whole(String typed, String field, String label, int min, int max, FormErrors errors) {
        if (!present(typed)) {
            return null;
        }
        String text = typed.trim();
        if (!text.matches("\\d{1,3}")) {
            errors.add(field, label + " must be a whole number, like " + ((min + max) / 2));
            return null;
        }
        int value = Integer.parseInt(text);
        if (value < min || value > max) {
            errors.add(field, label + " must be between " + min + " and " + max);
            return null;
        }
        return BigDecimal.valueOf(value);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
