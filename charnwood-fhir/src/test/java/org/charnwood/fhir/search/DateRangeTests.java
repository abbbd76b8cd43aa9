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
    void timesWithoutZoneAreUtc() {
        assertThat(DateRange.parse("2020-03-01T10:15:30"))
                .isEqualTo(range("2020-03-01T10:15:30Z", "2020-03-01T10:15:30.999999Z"));
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
