package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DateSearchIntegrationTests {

    private SearchFixture fx;
    private String born1970;
    private String born1985;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
        born1970 = patientBorn("1970-01-01");
        born1985 = patientBorn("1985-06-15");
    }

    private String patientBorn(String date) {
        Patient p = new Patient();
        p.setBirthDateElement(new DateType(date));
        return fx.create(p);
    }

    @Test
    void dayMatchesTheDayAndCoarserSearchesContainingIt() {
        assertThat(fx.ids("Patient", "birthdate=1970-01-01")).containsExactly(born1970);
        assertThat(fx.ids("Patient", "birthdate=1970")).containsExactly(born1970);
        assertThat(fx.ids("Patient", "birthdate=1970-01")).containsExactly(born1970);
        assertThat(fx.ids("Patient", "birthdate=eq1985-06")).containsExactly(born1985);
        assertThat(fx.ids("Patient", "birthdate=1970-02")).isEmpty();
    }

    @Test
    void finerSearchDoesNotMatchACoarserValue() {
        String bornSometime1990 = patientBorn("1990");

        assertThat(fx.ids("Patient", "birthdate=1990-05-05")).isEmpty();
        assertThat(fx.ids("Patient", "birthdate=1990")).containsExactly(bornSometime1990);
    }

    @Test
    void comparisonPrefixesFollowTheRangeRules() {
        assertThat(fx.ids("Patient", "birthdate=gt1970-01-01")).containsExactly(born1985);
        assertThat(fx.ids("Patient", "birthdate=ge1970-01-01")).containsExactlyInAnyOrder(born1970, born1985);
        assertThat(fx.ids("Patient", "birthdate=lt1985-06-15")).containsExactly(born1970);
        assertThat(fx.ids("Patient", "birthdate=le1985-06-15")).containsExactlyInAnyOrder(born1970, born1985);
        assertThat(fx.ids("Patient", "birthdate=ne1970-01-01")).containsExactly(born1985);
        assertThat(fx.ids("Patient", "birthdate=sa1980")).containsExactly(born1985);
        assertThat(fx.ids("Patient", "birthdate=eb1980")).containsExactly(born1970);
        assertThat(fx.ids("Patient", "birthdate=gt1985")).isEmpty();
    }

    @Test
    void approximatelyAllowsTenPercentOfTheGapToNow() {
        // now is 2025-06-01: ten percent of the 40-year gap is about four years
        assertThat(fx.ids("Patient", "birthdate=ap1987-01-01")).containsExactly(born1985);
        assertThat(fx.ids("Patient", "birthdate=ap1995-01-01")).isEmpty();
    }

    @Test
    void rangesAndAlternativesCombine() {
        assertThat(fx.ids("Patient", "birthdate=ge1960&birthdate=lt1980")).containsExactly(born1970);
        assertThat(fx.ids("Patient", "birthdate=1970,1985")).containsExactlyInAnyOrder(born1970, born1985);
    }

    @Test
    void periodsMatchByTheirWholeSpan() {
        Encounter e = new Encounter();
        e.setStatus(Encounter.EncounterStatus.FINISHED);
        e.setPeriod(new Period().setStartElement(new DateTimeType("2020-01-01T09:00:00Z"))
                .setEndElement(new DateTimeType("2020-01-10T17:00:00Z")));
        String stay = fx.create(e);

        assertThat(fx.ids("Encounter", "date=2020-01")).containsExactly(stay);
        assertThat(fx.ids("Encounter", "date=2020-01-05")).as("the stay is longer than the day").isEmpty();
        assertThat(fx.ids("Encounter", "date=ge2020-01-05")).containsExactly(stay);
        assertThat(fx.ids("Encounter", "date=le2020-01-05")).containsExactly(stay);
        assertThat(fx.ids("Encounter", "date=sa2019-12-31")).containsExactly(stay);
        assertThat(fx.ids("Encounter", "date=sa2020-01-05")).isEmpty();
        assertThat(fx.ids("Encounter", "date=eb2020-01-11")).containsExactly(stay);
        assertThat(fx.ids("Encounter", "date=gt2020-01-10T17:00:00Z")).isEmpty();
    }

    @Test
    void openPeriodReachesIntoTheFuture() {
        Encounter e = new Encounter();
        e.setStatus(Encounter.EncounterStatus.INPROGRESS);
        e.setPeriod(new Period().setStartElement(new DateTimeType("2024-03-01T10:00:00Z")));
        String current = fx.create(e);

        assertThat(fx.ids("Encounter", "date=gt2030")).containsExactly(current);
        assertThat(fx.ids("Encounter", "date=lt2024-03-01T10:00:00Z")).isEmpty();
        assertThat(fx.ids("Encounter", "date=lt2024-03-02")).containsExactly(current);
    }

    @Test
    void timeZonesAreHonoured() {
        String obs = observationAt("2020-03-01T23:30:00-05:00");

        assertThat(fx.ids("Observation", "date=2020-03-02")).containsExactly(obs);
        assertThat(fx.ids("Observation", "date=2020-03-01")).isEmpty();
        assertThat(fx.ids("Observation", "date=2020-03-02T04:30:00Z")).containsExactly(obs);
        assertThat(fx.ids("Observation", "date=2020-03-01T23:30-05:00")).containsExactly(obs);
        assertThat(fx.ids("Observation", "date=2020-03-02T05:30:00%2B01:00")).containsExactly(obs);
    }

    @Test
    void lastUpdatedSearchesTheStorageTime() {
        fx.clock.set(Instant.parse("2025-07-01T08:00:00Z"));
        String early = observationAt("2020-01-01");
        fx.clock.advance(Duration.ofHours(3));
        String late = observationAt("2020-01-01");

        assertThat(fx.ids("Observation", "_lastUpdated=gt2025-07-01T09:00:00Z")).containsExactly(late);
        assertThat(fx.ids("Observation", "_lastUpdated=lt2025-07-01T09:00:00Z")).containsExactly(early);
        assertThat(fx.ids("Observation", "_lastUpdated=2025-07-01")).containsExactlyInAnyOrder(early, late);
        assertThat(fx.ids("Observation", "_lastUpdated=2025-07-01T08:00:00Z")).containsExactly(early);
    }

    @Test
    void malformedDatesAreRefusedNamingTheParameter() {
        SearchFixture.assertRefused(fx.refusal("Patient", "birthdate=1970-13-01"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "birthdate", "1970-13-01");
        SearchFixture.assertRefused(fx.refusal("Patient", "birthdate=yesterday"), ErrorCode.INVALID_SEARCH_PARAMETER,
                "birthdate", "yesterday");
        SearchFixture.assertRefused(fx.refusal("Patient", "_lastUpdated=2020-01-01T25:00"),
                ErrorCode.INVALID_SEARCH_PARAMETER, "_lastUpdated");
    }

    private String observationAt(String effective) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.setCode(new CodeableConcept().setText("pulse"));
        obs.setEffective(new DateTimeType(effective));
        return fx.create(obs);
    }
}
