package org.charnwood.fhir.store;

import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The page fetch by keys returns the current versions asked for, in the order asked, whatever their number. */
class ResourceStoreIntegrationTests {

    private final TestDatabase db = TestDatabase.get();
    private final ResourceStore store = new ResourceStore();

    @BeforeEach
    void setUp() {
        db.reset();
    }

    @Test
    void keysAreFetchedInTheOrderGivenForEveryBucketAndBeyondTheLast() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            List<Long> keys = new ArrayList<>();
            for (int i = 0; i < 70; i++) {
                keys.add(insert(c, "p-" + i));
            }
            long deleted = insert(c, "gone");
            try (PreparedStatement ps = c.prepareStatement("update fhir_resource set deleted = true where res_pk = ?")) {
                ps.setLong(1, deleted);
                ps.executeUpdate();
            }
            Collections.reverse(keys);

            for (int n : new int[] {1, 2, 3, 5, 16, 17, 64, 65, 70}) {
                List<Long> asked = new ArrayList<>(keys.subList(0, n));
                asked.add(n / 2, deleted);
                List<StoredResource> found = store.currentByKeys(c, asked);
                assertThat(found).as("%d keys", n).extracting(StoredResource::pk).containsExactlyElementsOf(keys.subList(0, n));
            }
        }
    }

    @Test
    void bucketsArePowersOfTwoUpTo64() {
        assertThat(ResourceStore.keyBucket(1)).isZero();
        assertThat(ResourceStore.keyBucket(2)).isEqualTo(1);
        assertThat(ResourceStore.keyBucket(3)).isEqualTo(2);
        assertThat(ResourceStore.keyBucket(64)).isEqualTo(6);
        assertThat(ResourceStore.keyBucket(65)).isEqualTo(-1);
    }

    @Test
    void versionsAndOutboxRowsOfAnyCountAreAllWrittenAsGiven() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            for (int n : new int[] {0, 1, 3, 4, 5, 17, 64, 65, 150}) {
                db.reset();
                List<ResourceStore.NewVersion> versions = new ArrayList<>();
                List<ResourceStore.OutboxEntry> outbox = new ArrayList<>();
                Instant at = Instant.parse("2026-11-26T10:00:00Z");
                for (int i = 0; i < n; i++) {
                    long pk = insertResource(c, "v-" + i);
                    versions.add(new ResourceStore.NewVersion(pk, 1, at.plusSeconds(i), org.charnwood.fhir.ChangeMethod.CREATE,
                            "{\"resourceType\":\"Patient\",\"id\":\"v-" + i + "\"}"));
                    outbox.add(new ResourceStore.OutboxEntry("Patient", "v-" + i, 1, org.charnwood.fhir.ChangeMethod.CREATE,
                            at.plusSeconds(i)));
                }
                store.insertVersions(c, versions);
                store.appendOutbox(c, outbox);

                List<String> written = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select r.res_id, v.content, v.method,"
                        + " extract(epoch from v.last_updated)::bigint from fhir_resource r join fhir_resource_version v"
                        + " on v.res_pk = r.res_pk order by r.res_pk"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        written.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getLong(4));
                    }
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add("v-" + i + " {\"resourceType\":\"Patient\",\"id\":\"v-" + i + "\"} C "
                            + at.plusSeconds(i).getEpochSecond());
                }
                assertThat(written).as("%d versions", n).containsExactlyElementsOf(expected);
                List<String> events = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select res_id from fhir_outbox order by seq");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(rs.getString(1));
                    }
                }
                assertThat(events).as("%d outbox rows", n)
                        .containsExactlyElementsOf(outbox.stream().map(ResourceStore.OutboxEntry::id).toList());
            }
        }
    }

    @Test
    void everyVersionKeepsThePatientsItRefersToHoweverItIsWritten() throws Exception {
        String refers = "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p1\"},"
                + "\"performer\":[{\"reference\":\"https://gp.example/fhir/Patient/p2/_history/1\"},"
                + "{\"reference\":\"Practitioner/d1\"},{\"reference\":\"Patient/p1\"}]}";
        // Escaped text is read by the parser; an odd id survives the array's quoting (and COPY's escaping).
        String escaped = "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/o\\\"dd\\\\\"},"
                + "\"note\":[{\"text\":\"a\\nb\"}]}";
        String none = "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Group/g1\"}}";
        Instant at = Instant.parse("2026-11-26T10:00:00Z");
        try (Connection c = db.dataSource().getConnection()) {
            long[] inserted = {insertResource(c, "a"), insertResource(c, "b"), insertResource(c, "c")};
            long[] copied = {insertResource(c, "d"), insertResource(c, "e"), insertResource(c, "f")};
            List<ResourceStore.NewVersion> one = new ArrayList<>();
            List<ResourceStore.NewVersion> two = new ArrayList<>();
            String[] json = {refers, escaped, none};
            for (int i = 0; i < 3; i++) {
                one.add(new ResourceStore.NewVersion(inserted[i], 1, at, org.charnwood.fhir.ChangeMethod.CREATE, json[i]));
                two.add(new ResourceStore.NewVersion(copied[i], 1, at, org.charnwood.fhir.ChangeMethod.CREATE, json[i]));
            }
            store.insertVersions(c, one);
            store.copyVersions(c, two);

            List<String> refs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select array_to_json(patient_refs)::text"
                    + " from fhir_resource_version order by res_pk"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refs.add(rs.getString(1));
                }
            }
            List<String> expected = List.of("[\"p1\",\"p2\"]", "[\"o\\\"dd\\\\\"]", "null");
            assertThat(refs).containsExactly(expected.get(0), expected.get(1), null, expected.get(0), expected.get(1),
                    null);
        }
    }

    @Test
    void theMigrationFindsInVersionsWrittenBeforeItWhatTheStoreFindsNow() throws Exception {
        String[] json = {
                "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/p1\"},\"performer\":"
                        + "[{\"reference\":\"https://gp.example/fhir/Patient/p2/_history/1\"},{\"reference\":\"Patient/\"}]}",
                "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Encounter\","
                        + "\"subject\":{\"reference\":\"Patient/p3\"}}}],\"link\":[{\"url\":\"Patient/p9\"}]}",
                "{\"resourceType\":\"Observation\",\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"c\"}],"
                        + "\"subject\":{\"reference\":\"#c\"},\"focus\":[{\"reference\":\"Group/g\"}]}"};
        String migration = new String(getClass().getResourceAsStream("/db/migration/fhir/V480__version_patient_refs.sql")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String backfill = migration.substring(migration.indexOf("update fhir_resource_version"));
        try (Connection c = db.dataSource().getConnection()) {
            List<ResourceStore.NewVersion> versions = new ArrayList<>();
            for (int i = 0; i < json.length; i++) {
                versions.add(new ResourceStore.NewVersion(insertResource(c, "m-" + i), 1,
                        Instant.parse("2026-11-26T10:00:00Z"), org.charnwood.fhir.ChangeMethod.CREATE, json[i]));
            }
            store.insertVersions(c, versions);
            List<String> written = patientRefs(c);
            try (var st = c.createStatement()) {
                st.execute("update fhir_resource_version set patient_refs = null");
                st.execute(backfill);
            }
            assertThat(patientRefs(c)).containsExactlyElementsOf(written).containsExactly("p1,p2", "p3", null);
        }
    }

    /** Each version's patient_refs, sorted and comma-separated, in key order. */
    private static List<String> patientRefs(Connection c) throws Exception {
        List<String> refs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select (select string_agg(p, ',' order by p)"
                + " from unnest(patient_refs) p) from fhir_resource_version order by res_pk");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                refs.add(rs.getString(1));
            }
        }
        return refs;
    }

    @Test
    void aWitnessIsWrittenByTheStatementThatLoadsThePageOrNotAtAll() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            try (var st = c.createStatement()) {
                st.execute("create temporary table seen (keys text, patients text check (patients <> 'refused'))");
            }
            long p = insert(c, "p-1");
            long gone = insert(c, "gone");
            try (PreparedStatement ps = c.prepareStatement("update fhir_resource set deleted = true where res_pk = ?")) {
                ps.setLong(1, gone);
                ps.executeUpdate();
            }
            org.charnwood.fhir.LoadWitness witness = witness("");
            List<StoredResource> found = store.currentByKeys(c, List.of(p, gone), witness);
            assertThat(found).extracting(StoredResource::id).containsExactly("p-1");
            // Nothing loaded: the witness is still written.
            assertThat(store.currentByKeys(c, List.of(), witness)).isEmpty();
            // A failing witness fails the load.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.currentByKeys(c, List.of(p), witness("refused")))
                    .isInstanceOf(java.sql.SQLException.class);

            List<String> seen = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select coalesce(keys, '-') || ' ' || coalesce(patients, '-')"
                    + " from seen"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.add(rs.getString(1));
                }
            }
            assertThat(seen).containsExactly(p + " p-1", "- -");
        }
    }

    /** Records which rows the load returned, and the Patients among them (or {@code refused}, when given). */
    private static org.charnwood.fhir.LoadWitness witness(String refuse) {
        return new org.charnwood.fhir.LoadWitness() {
            @Override
            public String sql() {
                return "insert into seen select string_agg(res_pk::text, ','), coalesce(nullif(?, ''),"
                        + " string_agg(res_id, ',') filter (where res_type = 'Patient')) from loaded";
            }

            @Override
            public void bind(PreparedStatement ps, int first) throws java.sql.SQLException {
                ps.setString(first, refuse);
            }
        };
    }

    /** A Patient's tracking row and its first version. */
    private static long insert(Connection c, String id) throws Exception {
        long pk = insertResource(c, id);
        try (PreparedStatement ps = c.prepareStatement("insert into fhir_resource_version (res_pk, version,"
                + " last_updated, method, content) values (?, 1, now(), 'C', ?)")) {
            ps.setLong(1, pk);
            ps.setString(2, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}");
            ps.executeUpdate();
        }
        return pk;
    }

    /** A Patient's tracking row alone. */
    private static long insertResource(Connection c, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("insert into fhir_resource (res_type, res_id, version,"
                + " last_updated, deleted) values ('Patient', ?, 1, ?, false) returning res_pk")) {
            ps.setString(1, id);
            ps.setObject(2, java.time.OffsetDateTime.ofInstant(Instant.parse("2026-11-26T10:00:00Z"),
                    java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
