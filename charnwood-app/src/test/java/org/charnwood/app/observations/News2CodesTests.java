package org.charnwood.app.observations;

import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class News2CodesTests {

    private static String json(String system, String code) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.getCode().addCoding().setSystem(system).setCode(code);
        o.getSubject().setReference("Patient/p1");
        return FhirContexts.r4().newJsonParser().encodeResourceToString(o);
    }

    @Test
    void everyInputAndTheTotalAreSeenInTheText() {
        for (var codes : java.util.List.of(News2Codes.RESPIRATION_RATE, News2Codes.OXYGEN_SATURATION,
                News2Codes.PULSE, News2Codes.TEMPERATURE, News2Codes.SYSTOLIC, News2Codes.BLOOD_PRESSURE_PANEL,
                java.util.Set.of(News2Codes.BREATHING_AIR, News2Codes.ON_OXYGEN, News2Codes.ACVPU,
                        News2Codes.SNOMED + "|" + News2Codes.NEWS2_TOTAL))) {
            for (String systemAndCode : codes) {
                String[] parts = systemAndCode.split("\\|");
                assertThat(News2Codes.mayBeMentionedIn(json(parts[0], parts[1]))).as(systemAndCode).isTrue();
            }
        }
    }

    @Test
    void anObservationWithNoNews2CodeNeedNotBeParsed() {
        assertThat(News2Codes.mayBeMentionedIn(json(News2Codes.LOINC, "2339-0"))).isFalse();
        assertThat(News2Codes.mayBeMentionedIn(json(News2Codes.SNOMED, "8867"))).isFalse();
    }

    @Test
    void aCodeOnlyPartlyMatchingIsNotTakenForOne() {
        assertThat(News2Codes.mayBeMentionedIn(json(News2Codes.LOINC, "18867-40"))).isFalse();
    }
}
