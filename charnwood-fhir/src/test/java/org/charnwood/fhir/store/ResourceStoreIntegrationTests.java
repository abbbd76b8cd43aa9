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
                            org.hl7.fhir.r4.model.Bundle.HTTPVerb.POST, "{\"resourceType\":\"Patient\",\"id\":\"v-" + i + "\"}"));
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
