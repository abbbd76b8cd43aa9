package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Migration 506 moves the rows of dates stored without a zone from UTC days into London days. */
class ZonelessDateMigrationIntegrationTests {

    private SearchFixture fx;

    @BeforeEach
    void setUp() {
        fx = new SearchFixture();
    }

    @AfterEach
    void londonAgain() {
        DateRange.assumeLocalZone(DateRange.DEFAULT_LOCAL_ZONE);
    }

    private static List<Supplier<Resource>> records() {
        return List.of(
                () -> new Patient().setBirthDateElement(new DateType("2024-07-01")),
                () -> new Patient().setBirthDateElement(new DateType("2024-01-15")),
                () -> new Observation().setStatus(Observation.ObservationStatus.FINAL)
                        .setEffective(new DateTimeType("2024-07")),
                () -> new Observation().setStatus(Observation.ObservationStatus.FINAL)
                        .setEffective(new DateTimeType("2024")),
                // A value with a zone keeps its instant, midnight UTC included.
                () -> new Observation().setStatus(Observation.ObservationStatus.FINAL)
                        .setEffective(new DateTimeType("2024-07-01T00:00:00Z")),
                () -> new Observation().setStatus(Observation.ObservationStatus.FINAL)
                        .setEffective(new DateTimeType("2024-07-01T00:30:00+01:00")),
                // A Period with a date-only start and an end with a zone: only the start moves.
                () -> new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                        .setPeriod(new Period().setStartElement(new DateTimeType("2024-07-01"))
                                .setEndElement(new DateTimeType("2024-07-03T10:00:00+01:00"))),
                () -> new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
                        .setPeriod(new Period().setStartElement(new DateTimeType("2024-08-01"))));
    }

    @Test
    void rowsWrittenAsUtcDaysBecomeTheRowsTheIndexerNowWrites() throws Exception {
        DateRange.assumeLocalZone(ZoneOffset.UTC);
        List<String> before = new ArrayList<>();
        for (Supplier<Resource> r : records()) {
            before.add(fx.create(r.get()));
        }
        DateRange.assumeLocalZone(DateRange.DEFAULT_LOCAL_ZONE);
        List<String> now = new ArrayList<>();
        for (Supplier<Resource> r : records()) {
            now.add(fx.create(r.get()));
        }
        List<String> expected = rows(now);
        assertThat(rows(before)).isNotEqualTo(expected);

        String script = new String(getClass()
                .getResourceAsStream("/db/migration/fhir/V506__zoneless_dates_in_local_time.sql").readAllBytes(),
                StandardCharsets.UTF_8);
        try (Connection c = fx.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(script);
        }

        assertThat(rows(before)).isEqualTo(expected);
        assertThat(rows(now)).isEqualTo(expected);
    }

    /** Each resource's date rows (not _lastUpdated), in the order of the ids given. */
    private List<String> rows(List<String> ids) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = fx.db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "select d.param, d.lo, d.hi from idx_date d join fhir_resource r on r.res_pk = d.res_pk"
                        + " where r.res_id = ? and d.param not like '\\_%' order by d.param, d.lo, d.hi")) {
            for (String id : ids) {
                ps.setString(1, id);
                StringBuilder row = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        row.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3)).append("; ");
                    }
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
