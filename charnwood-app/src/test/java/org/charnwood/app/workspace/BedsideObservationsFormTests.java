package org.charnwood.app.workspace;

import org.charnwood.app.observations.Consciousness;
import org.charnwood.app.observations.News2Inputs;
import org.charnwood.app.observations.SpO2Scale;
import org.charnwood.app.web.FormErrors;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class BedsideObservationsFormTests {

    private static BedsideObservationsForm form(String rr, String spo2, String air, String systolic, String pulse,
                                                String acvpu, String temperature) {
        BedsideObservationsForm form = new BedsideObservationsForm();
        form.setRespirationRate(rr);
        form.setOxygenSaturation(spo2);
        form.setAirOrOxygen(air);
        form.setSystolicPressure(systolic);
        form.setPulse(pulse);
        form.setConsciousness(acvpu);
        form.setTemperature(temperature);
        return form;
    }

    @Test
    void acceptsACompleteSetOnThePatientsScale() {
        FormErrors errors = new FormErrors();
        News2Inputs inputs = form("18", "90", "oxygen", "124", "72", "NEW_CONFUSION", "36.8")
                .validate(SpO2Scale.SCALE_2, errors);
        assertThat(errors.isEmpty()).isTrue();
        assertThat(inputs.scale()).isEqualTo(SpO2Scale.SCALE_2);
        assertThat(inputs.onOxygen()).isTrue();
        assertThat(inputs.consciousness()).isEqualTo(Consciousness.NEW_CONFUSION);
        assertThat(inputs.temperature()).isEqualByComparingTo(new BigDecimal("36.8"));
        assertThat(inputs.missing()).isEmpty();
    }

    @Test
    void allowsAnIncompleteSetAndNamesWhatIsMissing() {
        FormErrors errors = new FormErrors();
        News2Inputs inputs = form("18", "", null, "124", " ", null, "").validate(SpO2Scale.SCALE_1, errors);
        assertThat(errors.isEmpty()).isTrue();
        assertThat(inputs.missing()).hasSize(5);
    }

    @Test
    void refusesFractionsImplausibleValuesAndTwoDecimalPlacesInFieldOrder() {
        FormErrors errors = new FormErrors();
        News2Inputs inputs = form("18.5", "101", "maybe", "124", "400", "DROWSY", "36.85")
                .validate(SpO2Scale.SCALE_1, errors);
        assertThat(inputs).isNull();
        assertThat(errors.problems()).extracting(FormErrors.Problem::field).containsExactly(
                "respirationRate", "oxygenSaturation", "airOrOxygen", "pulse", "consciousness", "temperature");
        assertThat(errors.message("respirationRate")).contains("whole number");
        assertThat(errors.message("oxygenSaturation")).contains("between 50 and 100");
        assertThat(errors.message("temperature")).contains("one decimal place");
    }

    @Test
    void refusesAnEmptyForm() {
        FormErrors errors = new FormErrors();
        assertThat(form(null, null, null, null, null, null, null).validate(SpO2Scale.SCALE_1, errors)).isNull();
        assertThat(errors.message("respirationRate")).isEqualTo("Enter at least one observation");
    }
}
