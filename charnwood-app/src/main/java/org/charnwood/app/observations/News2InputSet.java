package org.charnwood.app.observations;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The NEWS2 inputs found among one patient's Observations taken at one time: which Observation supplied each
 * parameter (so the score can say what it was derived from) and the values read from them. Observations that
 * were cancelled or entered in error are not inputs; of two recordings of the same parameter, the one changed
 * last wins.
 */
record News2InputSet(News2Inputs inputs, List<Observation> sources) {

    static News2InputSet from(List<Observation> observations, SpO2Scale scale) {
        List<Observation> usable = observations.stream()
                .filter(o -> o.getStatus() != ObservationStatus.ENTEREDINERROR
                        && o.getStatus() != ObservationStatus.CANCELLED)
                .sorted(Comparator.comparing((Observation o) -> o.getMeta().getLastUpdated(),
                        Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .toList();
        List<Observation> sources = new ArrayList<>();
        BigDecimal rr = quantity(usable, News2Codes.RESPIRATION_RATE.toArray(String[]::new), sources);
        BigDecimal spo2 = quantity(usable, News2Codes.OXYGEN_SATURATION.toArray(String[]::new), sources);
        BigDecimal pulse = quantity(usable, News2Codes.PULSE.toArray(String[]::new), sources);
        BigDecimal temperature = quantity(usable, News2Codes.TEMPERATURE.toArray(String[]::new), sources);
        BigDecimal systolic = systolic(usable, sources);
        Boolean onOxygen = airOrOxygen(usable, sources);
        Consciousness consciousness = consciousness(usable, sources);
        return new News2InputSet(new News2Inputs(rr, spo2, scale, onOxygen, systolic, pulse, consciousness,
                temperature), List.copyOf(sources));
    }

    private static BigDecimal quantity(List<Observation> observations, String[] codes, List<Observation> sources) {
        for (Observation o : observations) {
            if (News2Codes.has(o.getCode(), java.util.Set.of(codes)) && o.hasValueQuantity()
                    && o.getValueQuantity().hasValue()) {
                sources.add(o);
                return o.getValueQuantity().getValue();
            }
        }
        return null;
    }

    private static BigDecimal systolic(List<Observation> observations, List<Observation> sources) {
        for (Observation o : observations) {
            if (News2Codes.has(o.getCode(), News2Codes.SYSTOLIC) && o.hasValueQuantity()) {
                sources.add(o);
                return o.getValueQuantity().getValue();
            }
            if (News2Codes.has(o.getCode(), News2Codes.BLOOD_PRESSURE_PANEL)) {
                for (Observation.ObservationComponentComponent c : o.getComponent()) {
                    if (News2Codes.has(c.getCode(), News2Codes.SYSTOLIC) && c.hasValueQuantity()) {
                        Quantity q = c.getValueQuantity();
                        if (q.hasValue()) {
                            sources.add(o);
                            return q.getValue();
                        }
                    }
                }
            }
        }
        return null;
    }

    /** Air or oxygen arrives either as the Observation's code or as its coded value. */
    private static Boolean airOrOxygen(List<Observation> observations, List<Observation> sources) {
        for (Observation o : observations) {
            CodeableConcept value = o.hasValueCodeableConcept() ? o.getValueCodeableConcept() : new CodeableConcept();
            boolean air = News2Codes.has(o.getCode(), News2Codes.BREATHING_AIR) || News2Codes.has(value, News2Codes.BREATHING_AIR);
            boolean oxygen = News2Codes.has(o.getCode(), News2Codes.ON_OXYGEN) || News2Codes.has(value, News2Codes.ON_OXYGEN);
            if (air != oxygen) {
                sources.add(o);
                return oxygen;
            }
        }
        return null;
    }

    private static Consciousness consciousness(List<Observation> observations, List<Observation> sources) {
        for (Observation o : observations) {
            if (News2Codes.has(o.getCode(), News2Codes.ACVPU) && o.hasValueCodeableConcept()) {
                for (var coding : o.getValueCodeableConcept().getCoding()) {
                    Consciousness level = News2Codes.SNOMED.equals(coding.getSystem())
                            ? Consciousness.ofSnomed(coding.getCode()) : null;
                    if (level != null) {
                        sources.add(o);
                        return level;
                    }
                }
            }
        }
        return null;
    }
}
