package org.charnwood.fhir;

import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExactJsonTests {

    @Test
    void textWithExponentsOrNegativeZerosTakesTheExactReader() {
        assertThat(ExactJson.mayLoseDecimalText("{\"value\":2.10e3}")).isTrue();
        assertThat(ExactJson.mayLoseDecimalText("{\"value\":1E-20}")).isTrue();
        assertThat(ExactJson.mayLoseDecimalText("{\"value\":1e+3}")).isTrue();
        assertThat(ExactJson.mayLoseDecimalText("{\"value\":-0.0}")).isTrue();
        assertThat(ExactJson.mayLoseDecimalText("{\"value\":-0}")).isTrue();
        assertThat(ExactJson.mayLoseDecimalText("[-0.00]")).isTrue();
    }

    @Test
    void ordinaryResourcesTakeTheFastReader() {
        assertThat(ExactJson.mayLoseDecimalText("{\"resourceType\":\"Observation\",\"effectiveDateTime\":"
                + "\"2024-01-05T10:00:00+00:00\",\"valueQuantity\":{\"value\":-0.5,\"unit\":\"mmol/L\"},"
                + "\"code\":{\"text\":\"Haemoglobin e\"},\"note\":[{\"text\":\"see 2e visit\"}]}")).isFalse();
        assertThat(ExactJson.mayLoseDecimalText("{\"value\":1.50,\"birthDate\":\"2020-01-05\"}")).isFalse();
    }

    @Test
    void bothReadersKeepTheDecimalsAsWritten() {
        for (String value : new String[] {"1.50", "2.10e3", "-0.0", "0.000001", "-0.5", "100"}) {
            Observation read = ExactJson.parse(Observation.class, "{\"resourceType\":\"Observation\",\"status\":"
                    + "\"final\",\"code\":{\"text\":\"x\"},\"valueQuantity\":{\"value\":" + value + "}}");
            assertThat(((Quantity) read.getValue()).getValueElement().getValueAsString()).isEqualTo(value);
        }
    }
}
