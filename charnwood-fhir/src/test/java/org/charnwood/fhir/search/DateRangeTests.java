package org.charnwood.fhir.search;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DateRangeTests {

    private static DateRange range(String lo, String hi) {
        return new DateRange(Instant.parse(lo), Instant.parse(hi));
    }

    @Test
    void partialDatesCoverTheirWholePrecision() {
        assertThat(DateRange.parse("2020")).isEqualTo(range("2020-01-01T00:00:00Z", "2020-12-31T23:59:59.999999Z"));
        assertThat(DateRange.parse("2020-02")).isEqualTo(range("2020-02-01T00:00:00Z", "2020-02-29T23:59:59.999999Z"));
        assertThat(DateRange.parse("2021-02-28")).isEqualTo(range("2021-02-28T00:00:00Z", "2021-02-28T23:59:59.999999Z"));
    }

    @Test
    void timesCoverTheirPrecisionInTheirZone() {
        assertThat(DateRange.parse("2020-03-01T10:15+01:00"))
                .isEqualTo(range("2020-03-01T09:15:00Z", "2020-03-01T09:15:59.999999Z"));
        assertThat(DateRange.parse("2020-03-01T10:15:30Z"))
                .isEqualTo(range("2020-03-01T10:15:30Z", "2020-03-01T10:15:30.999999Z"));
        assertThat(DateRange.parse("2020-03-01T10:15:30.25-05:00"))
                .isEqualTo(range("2020-03-01T15:15:30.25Z", "2020-03-01T15:15:30.259999Z"));
        assertThat(DateRange.parse("2020-03-01T10:15:30.1234567Z"))
                .isEqualTo(range("2020-03-01T10:15:30.123456Z", "2020-03-01T10:15:30.123456Z"));
    }

    @Test
    void valuesWithoutZoneAreLondonTime() {
        // GMT in winter is UTC; in summer BST is an hour ahead.
        assertThat(DateRange.parse("2020-03-01T10:15:30"))
                .isEqualTo(range("2020-03-01T10:15:30Z", "2020-03-01T10:15:30.999999Z"));
        assertThat(DateRange.parse("2024-07-01T09:00"))
                .isEqualTo(range("2024-07-01T08:00:00Z", "2024-07-01T08:00:59.999999Z"));
        assertThat(DateRange.parse("2024-07-01")).isEqualTo(range("2024-06-30T23:00:00Z", "2024-07-01T22:59:59.999999Z"));
        assertThat(DateRange.parse("2024-07")).isEqualTo(range("2024-06-30T23:00:00Z", "2024-07-31T22:59:59.999999Z"));
        assertThat(DateRange.parse("2024")).isEqualTo(range("2024-01-01T00:00:00Z", "2024-12-31T23:59:59.999999Z"));
    }

    @Test
    void theDaysTheClocksChangeAreTwentyThreeAndTwentyFiveHours() {
        assertThat(DateRange.parse("2024-03-31")).isEqualTo(range("2024-03-31T00:00:00Z", "2024-03-31T22:59:59.999999Z"));
        assertThat(DateRange.parse("2024-10-27")).isEqualTo(range("2024-10-26T23:00:00Z", "2024-10-27T23:59:59.999999Z"));
        // 01:30 on 31 March never happens in London: it is read as 02:30 BST.
        assertThat(DateRange.parse("2024-03-31T01:30").lo()).isEqualTo(Instant.parse("2024-03-31T01:30:00Z"));
    }

    @Test
    void anotherLocalZoneMayBeSet() {
        try {
            DateRange.assumeLocalZone(java.time.ZoneId.of("America/New_York"));
            assertThat(DateRange.parse("2024-07-01").lo()).isEqualTo(Instant.parse("2024-07-01T04:00:00Z"));
            assertThat(DateRange.parse("2024-07-01T00:00:00Z").lo()).isEqualTo(Instant.parse("2024-07-01T00:00:00Z"));
        } finally {
            DateRange.assumeLocalZone(DateRange.DEFAULT_LOCAL_ZONE);
        }
    }

    @Test
    void periodsMayBeOpenAtEitherEnd() {
        DateRange open = DateRange.period("2020-01-01", null);
        assertThat(open.lo()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(open.hi()).isNull();
        assertThat(open.hiText()).isEqualTo("infinity");
        assertThat(DateRange.period(null, "2020-01").hi()).isEqualTo(Instant.parse("2020-01-31T23:59:59.999999Z"));
        assertThat(DateRange.period(null, null)).isNull();
    }

    @Test
    void refusesWhatIsNotADate() {
        assertThatThrownBy(() -> DateRange.parse("2020-13")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2020-13");
        assertThatThrownBy(() -> DateRange.parse("2020-02-30")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DateRange.parse("20200101")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DateRange.parse("today")).isInstanceOf(IllegalArgumentException.class);
    }
}
