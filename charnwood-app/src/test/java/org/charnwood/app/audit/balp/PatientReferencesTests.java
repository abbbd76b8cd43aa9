package org.charnwood.app.audit.balp;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class PatientReferencesTests {

    @Test
    void findsEveryPatientAResourceRefersTo() {
        Set<String> found = new TreeSet<>();
        PatientReferences.collect("Observation", "o1", """
                {"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"},
                 "performer":[{"reference":"Practitioner/d1"},{"reference":"https://ehr.example/fhir/Patient/p2/_history/3"}]}""",
                found);

        assertThat(found).containsExactly("p1", "p2");
    }

    @Test
    void aPatientHoldsDataAboutItself() {
        Set<String> found = new TreeSet<>();
        PatientReferences.collect("Patient", "p9", "{\"resourceType\":\"Patient\",\"id\":\"p9\"}", found);

        assertThat(found).containsExactly("p9");
    }

    @Test
    void ignoresReferencesThatAreNotToPatients() {
        assertThat(PatientReferences.patientId("Practitioner/d1")).isNull();
        assertThat(PatientReferences.patientId("urn:uuid:1234")).isNull();
        assertThat(PatientReferences.patientId("Patient/p1")).isEqualTo("p1");
    }

    @Test
    void readsCompactTextDirectlyAndAnyOtherShapeThroughTheParserAlike() {
        String compact = "{\"resourceType\":\"Encounter\",\"subject\":{\"reference\":\"Patient/p1\"},"
                + "\"participant\":[{\"individual\":{\"reference\":\"Practitioner/d1\"}}],"
                + "\"extension\":[{\"valueReference\":{\"reference\":\"Patient/p2\"}}],"
                + "\"note\":[{\"text\":\"see the referral\"}],\"code\":\"x\"}";
        Set<String> direct = new TreeSet<>();
        assertThat(PatientReferences.scanCompact(compact, direct)).isTrue();
        assertThat(direct).containsExactly("p1", "p2");

        // Spaces, a string value that reads "reference", an object-valued member named reference, escapes:
        // each is left to the parser, which finds the same patients.
        for (String other : new String[]{
                "{\"subject\": {\"reference\": \"Patient/p1\"}}",
                "{\"a\":\"reference\",\"subject\":{\"reference\":\"Patient/p1\"}}",
                "{\"reference\":{\"x\":1},\"subject\":{\"reference\":\"Patient/p1\"}}",
                "{\"subject\":{\"reference\":\"Patient\\/p1\"},\"note\":\"say \\\"reference\\\":\\\"Patient/p9\"}"}) {
            Set<String> nothing = new TreeSet<>();
            assertThat(PatientReferences.scanCompact(other, nothing)).as(other).isFalse();
            assertThat(nothing).isEmpty();
            Set<String> parsed = new TreeSet<>();
            PatientReferences.collect("Observation", "o1", other, parsed);
            assertThat(parsed).as(other).containsExactly("p1");
        }
    }
}
