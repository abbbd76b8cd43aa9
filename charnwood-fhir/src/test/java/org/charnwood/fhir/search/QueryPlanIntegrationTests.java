package org.charnwood.fhir.search;

import org.charnwood.fhir.RepositorySettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that the typical searches are answered from the lookup indexes rather than by scanning
 * tables, on a few thousand generated resources with fresh statistics.
 */
class QueryPlanIntegrationTests {

    private static final int PATIENTS = 600;
    private static SearchFixture fx;
    private static final List<String> patients = new ArrayList<>();
    private final SqlSearchEngine engine = new SqlSearchEngine(SearchFixture.REGISTRY, ServerBase.none(),
            RepositorySettings.defaults(), Clock.systemUTC());

    @BeforeAll
    static void load() throws SQLException {
        fx = new SearchFixture();
        patients.clear();
        SyntheticRecords gen = new SyntheticRecords(7);
        for (int batch = 0; batch < PATIENTS / 50; batch++) {
            int first = batch * 50;
            fx.repository.inTransaction(s -> {
                for (int i = first; i < first + 50; i++) {
                    String patient = s.create(gen.patient(i)).id();
                    patients.add(patient);
                    String encounter = s.create(gen.encounter(patient)).id();
                    s.create(gen.bloodPressure(patient));
                    for (int o = 0; o < 7; o++) {
                        s.create(gen.vitalSign(patient, encounter));
                    }
                }
                return null;
            });
        }
        try (Connection c = fx.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("vacuum analyze");
        }
    }

    private String plan(String type, String query) throws SQLException {
        Sql page = engine.pageSql(engine.parse(SearchFixture.request(type, query, false)));
        Sql explain = new Sql().add("explain ").add(page.text());
        explain.binds().addAll(page.binds());
        StringBuilder plan = new StringBuilder();
        try (Connection c = fx.db.dataSource().getConnection(); PreparedStatement ps = explain.prepare(c);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    /** The rows of {@code fhir_resource} the page's plan really visited (rows × loops over its scans). */
    private long resourceRowsVisited(String type, String query) throws SQLException {
        return resourceRowsVisited(engine.pageSql(engine.parse(SearchFixture.request(type, query, false))));
    }

    private long resourceRowsVisited(Sql page) throws SQLException {
        Sql explain = new Sql().add("explain (analyze, costs off) ").add(page.text());
        explain.binds().addAll(page.binds());
        Pattern scan = Pattern.compile(" on fhir_resource r .*rows=([0-9.]+) loops=(\\d+)");
        long visited = 0;
        try (Connection c = fx.db.dataSource().getConnection(); PreparedStatement ps = explain.prepare(c);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Matcher m = scan.matcher(rs.getString(1));
                if (m.find()) {
                    visited += Math.round(Double.parseDouble(m.group(1)) * Long.parseLong(m.group(2)));
                }
            }
        }
        return visited;
    }

    private void assertIndexed(String plan, String... indexes) {
        assertThat(plan).as(plan).contains(indexes).doesNotContain("Seq Scan");
    }

    @Test
    void patientByIdentifierUsesTheTokenIndex() throws SQLException {
        assertIndexed(plan("Patient", "identifier=" + SyntheticRecords.NHS + "|9000000123"), "idx_token_lookup");
    }

    @Test
    void patientByFamilyNameUsesTheStringIndex() throws SQLException {
        assertIndexed(plan("Patient", "family=patel-1"), "idx_string_lookup");
    }

    @Test
    void patientByBirthDateUsesTheDateIndex() throws SQLException {
        assertIndexed(plan("Patient", "birthdate=1970-05-05"), "idx_date_lookup");
    }

    @Test
    void observationsOfAPatientByCodeAndDateStartFromTheReference() throws SQLException {
        String plan = plan("Observation", "subject=Patient/" + patients.get(17) + "&code=" + SyntheticRecords.LOINC
                + "|8867-4&date=ge2021&_sort=-date");
        assertIndexed(plan, "idx_reference_lookup", "idx_date_pk");
    }

    @Test
    void encountersOfAPatientByDateStartFromTheReference() throws SQLException {
        assertIndexed(plan("Encounter", "patient=" + patients.get(3) + "&date=ge2022"), "idx_reference_lookup");
    }

    @Test
    void aBroadPrefixReadsTheResourceRowsOfThePageOnly() throws SQLException {
        // LE1, LE10 to LE18: about half of the patients, of whom twenty are wanted.
        assertThat(resourceRowsVisited("Patient", "address-postalcode=LE1&_count=20")).isBetween(1L, 21L);
        assertThat(resourceRowsVisited("Patient", "address-postalcode=LE1&gender=female&_count=20&_sort=birthdate"))
                .isBetween(1L, 21L);
    }

    @Test
    void aStaffPrefixSearchTestsTheLabelsOfThePageOnly() throws SQLException {
        AccessScope staff = AccessScope.UNRESTRICTED.withPatients(Set.of(patients.get(0)), Set.of("Patient"), Set.of())
                .withHiddenLabels(Set.of(new AccessScope.Label("http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
                        "R")));
        Sql page = engine.labelledPageSql(engine.parse(SearchFixture.request("Patient", "address-postalcode=LE1&_count=20",
                false)), staff);
        assertThat(resourceRowsVisited(page)).isBetween(1L, 21L);
        assertThat(engine.labelledPageSql(engine.parse(SearchFixture.request("Observation", "category=vital-signs",
                false)), staff)).as("a compartment test hides most matches: not taken page-first").isNull();
        assertThat(engine.labelledPageSql(engine.parse(SearchFixture.request("Patient",
                "address-postalcode=LE1&_count=20&_getpagesoffset=20", false)), staff)).as("later pages").isNull();
    }

    @Test
    void chainedIdentifierSearchUsesTheIndexesOfBothTypes() throws SQLException {
        assertIndexed(plan("Observation", "subject:Patient.identifier=" + SyntheticRecords.NHS + "|9000000123"),
                "idx_token_lookup", "idx_reference_");
    }
}
