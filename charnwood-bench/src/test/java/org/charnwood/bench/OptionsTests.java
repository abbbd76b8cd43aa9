package org.charnwood.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTests {

    @Test
    void readsSpacedAndEqualsFormsAndBareFlags() {
        Options o = Options.parse("bulk", "--base", "http://h/fhir", "--patients=1_000", "--baseline");

        assertThat(o.command()).isEqualTo("bulk");
        assertThat(o.text("base")).isEqualTo("http://h/fhir");
        assertThat(o.integer("patients", 1)).isEqualTo(1000);
        assertThat(o.flag("baseline", false)).isTrue();
        assertThat(o.integer("seed", 7)).isEqualTo(7);
    }

    @Test
    void refusesAnOptionThePhaseDoesNotTake() {
        Options o = Options.parse("search", "--base", "x", "--durration", "5");

        assertThatThrownBy(() -> o.allowOnly("base", "duration"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--durration");
    }

    @Test
    void refusesAMissingRequiredOptionAndANonNumber() {
        Options o = Options.parse("ingest", "--patients", "many");

        assertThatThrownBy(() -> o.text("base")).hasMessageContaining("needs --base");
        assertThatThrownBy(() -> o.integer("patients", 1)).hasMessageContaining("whole number");
    }

    @Test
    void refusesArgumentsWithoutACommand() {
        assertThatThrownBy(() -> Options.parse("--base", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
