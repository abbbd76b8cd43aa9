package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dates without a time zone, searched or stored, are read in the trust's local zone (Europe/London), as R4
 * search.html says; values with a zone keep their instant.
 */
class LocalTimeZoneDateSearchIntegrationTests extends CharnwoodIntegrationTest {

    private String patientId;

    @BeforeEach
    void aPatient() {
        patientId = http.post("/fhir/Patient", """
                {"resourceType":"Patient","name":[{"family":"Okafor","given":["Ada"]}],"birthDate":"2024-07-01"}""",
                "application/fhir+json").resource(Patient.class).getIdElement().getIdPart();
    }

    private String observedAt(String effective) {
        return http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
                 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s"}""".formatted(patientId, effective),
                "application/fhir+json").resource(Observation.class).getIdElement().getIdPart();
    }

    private List<String> observations(String date) {
        return ids("/fhir/Observation?subject=Patient/" + patientId + "&date=" + date.replace("+", "%2B"));
    }

    private List<String> patients(String birthdate) {
        return ids("/fhir/Patient?_id=" + patientId + "&birthdate=" + birthdate.replace("+", "%2B"));
    }

    private List<String> ids(String url) {
        return http.get(url).bundle().getEntry().stream()
                .map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    @Test
    void aSummerDayRunsFromLocalMidnightToLocalMidnight() {
        String justAfterMidnight = observedAt("2024-07-01T00:30:00+01:00");
        String nextDayJustAfterMidnight = observedAt("2024-07-02T00:30:00+01:00");

        assertThat(observations("2024-07-01")).containsExactly(justAfterMidnight);
        assertThat(observations("2024-06-30")).isEmpty();
        assertThat(observations("2024-07-02")).containsExactly(nextDayJustAfterMidnight);
        // A time without a zone is local too: 00:15 on 1 July in London is 23:15 UTC on 30 June.
        assertThat(observations("ge2024-07-01T00:15")).containsExactlyInAnyOrder(justAfterMidnight,
                nextDayJustAfterMidnight);
        assertThat(observations("lt2024-07-01T00:45")).containsExactly(justAfterMidnight);
    }

    @Test
    void aStoredDateWithoutAZoneIsTheLocalDay() {
        assertThat(patients("2024-07-01")).containsExactly(patientId);
        assertThat(patients("ge2024-07-01")).containsExactly(patientId);
        assertThat(patients("2024-06-30")).isEmpty();
        // The local day began at 23:00 UTC on 30 June: before 00:30 BST, not before 00:00 BST.
        assertThat(patients("lt2024-07-01T00:30:00+01:00")).containsExactly(patientId);
        assertThat(patients("lt2024-07-01T00:00:00+01:00")).isEmpty();
        assertThat(patients("lt2024-07-01T00:00:00Z")).containsExactly(patientId);
        assertThat(patients("gt2024-07-01T23:30:00Z")).isEmpty();

        String dateOnly = observedAt("2024-07-01");
        assertThat(observations("le2024-06-30T23:00:01Z")).containsExactly(dateOnly);
        assertThat(observations("lt2024-06-30T23:00:00Z")).isEmpty();
        assertThat(observations("gt2024-07-01T22:59:59Z")).isEmpty();
    }

    @Test
    void aWinterDayIsStillTheUtcDay() {
        String lateEvening = observedAt("2024-01-15T23:30:00Z");
        String dateOnly = observedAt("2024-01-15");

        assertThat(observations("2024-01-15")).containsExactlyInAnyOrder(lateEvening, dateOnly);
        assertThat(observations("2024-01-16")).isEmpty();
        assertThat(observations("lt2024-01-15T00:00:00Z")).isEmpty();
        assertThat(observations("le2024-01-15T00:00:01Z")).containsExactly(dateOnly);
        assertThat(observations("gt2024-01-15T23:59:59Z")).isEmpty();
    }

    @Test
    void theDaysTheClocksChangeAreTwentyThreeAndTwentyFiveHoursLong() {
        // 31 March 2024: 00:00 GMT to 00:00 BST, 23 hours.
        String springLate = observedAt("2024-03-31T22:30:00Z");
        String springNextDay = observedAt("2024-03-31T23:30:00Z");
        // 27 October 2024: 00:00 BST to 00:00 GMT, 25 hours.
        String autumnEarly = observedAt("2024-10-26T23:30:00Z");
        String autumnLate = observedAt("2024-10-27T23:30:00Z");

        assertThat(observations("2024-03-31")).containsExactly(springLate);
        assertThat(observations("2024-04-01")).containsExactly(springNextDay);
        assertThat(observations("2024-10-27")).containsExactlyInAnyOrder(autumnEarly, autumnLate);
        assertThat(observations("2024-10-26")).isEmpty();
        assertThat(observations("2024-10")).containsExactlyInAnyOrder(autumnEarly, autumnLate);
    }

    @Test
    void valuesWithAZoneKeepTheirInstant() {
        String utcMidnight = observedAt("2024-07-01T00:00:00Z");
        String offsetMorning = observedAt("2024-07-01T09:00:00+02:00");

        assertThat(observations("2024-07-01T00:00:00Z")).containsExactly(utcMidnight);
        assertThat(observations("ge2024-07-01T07:00:00Z")).containsExactly(offsetMorning);
        assertThat(observations("lt2024-07-01T07:00:00Z")).containsExactly(utcMidnight);
        assertThat(observations("2024-07-01T01:00:00+01:00")).containsExactly(utcMidnight);
    }
}
