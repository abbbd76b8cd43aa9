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
}
