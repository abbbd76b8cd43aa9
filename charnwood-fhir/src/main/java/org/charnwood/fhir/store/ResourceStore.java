package org.charnwood.fhir.store;

import org.charnwood.fhir.ChangeMethod;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rows of {@code fhir_resource} and {@code fhir_resource_version}: the JDBC under the repository.
 * Every method runs on the caller's connection, so it joins the caller's transaction.
 */
public final class ResourceStore {

    private static final String SELECT_VERSION = """
            select r.res_pk, r.res_type, r.res_id, v.version, v.last_updated, v.method, v.content, v.request_method
              from fhir_resource r join fhir_resource_version v on v.res_pk = r.res_pk
            """;

    /** The current version, deleted or not; empty when the resource never existed. */
    public Optional<StoredResource> current(Connection c, String type, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_VERSION
                + " and v.version = r.version where r.res_type = ? and r.res_id = ?")) {
            ps.setString(1, type);
            ps.setString(2, id);
            return single(ps);
        }
    }

    /**
     * The row tracking a resource's current version, locked until the transaction ends against any other change or
     * deletion of the resource. The lock ({@code for no key update}) does not wait for writers that hold a
     * reference to the resource ({@link #existing}): changing a resource does not disturb what refers to it.
     */
    public Optional<CurrentRow> lockCurrent(Connection c, String type, String id) throws SQLException {
        return lockRow(c, type, id, "for no key update");
    }

    /**
     * The row as {@link #lockCurrent} locks it, for deleting the resource: the stronger lock ({@code for update})
     * waits for every transaction that has checked a reference to it ({@link #existing}) to end, so the delete's
     * check for referrers then sees their links, and such a check made later waits for the delete and then finds
     * the resource gone.
     */
    public Optional<CurrentRow> lockForDeletion(Connection c, String type, String id) throws SQLException {
        return lockRow(c, type, id, "for update");
    }

    private Optional<CurrentRow> lockRow(Connection c, String type, String id, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select res_pk, version, deleted, last_updated from fhir_resource"
                + " where res_type = ? and res_id = ? " + lock)) {
            ps.setString(1, type);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(currentRow(rs)) : Optional.empty();
            }
        }
    }

    private static CurrentRow currentRow(ResultSet rs) throws SQLException {
        return new CurrentRow(rs.getLong(1), rs.getInt(2), rs.getBoolean(3), rs.getTimestamp(4).toInstant());
    }

    /**
     * The row that tracks a resource's current version.
     *
     * @param lastUpdated when the current version was stamped: the next must be stamped later
     */
    public record CurrentRow(long pk, int version, boolean deleted, Instant lastUpdated) {
    }

    /**
     * The current rows of many resources ({@code Type/id}), locked as {@link #lockCurrent} locks one until the
     * transaction ends, in one round trip; resources that never existed are absent from the map. Rows are
     * locked in key order, so two such calls cannot deadlock each other.
     */
    public Map<String, CurrentRow> lockCurrent(Connection c, Collection<String> references) throws SQLException {
        Map<String, CurrentRow> found = new HashMap<>();
        if (references.isEmpty()) {
            return found;
        }
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String ref : references) {
            int slash = ref.indexOf('/');
            types.add(ref.substring(0, slash));
            ids.add(ref.substring(slash + 1));
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select r.res_pk, r.version, r.deleted, r.last_updated, r.res_type, r.res_id from fhir_resource r
                  join unnest(?::text[], ?::text[]) as u(t, i) on r.res_type = u.t and r.res_id = u.i
                 order by r.res_pk for no key update of r""")) {
            ps.setArray(1, c.createArrayOf("text", types.toArray()));
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(5) + "/" + rs.getString(6), currentRow(rs));
                }
            }
        }
        return found;
    }

    /** Moves many resources to a new, not deleted, current version, each stamped as its version is, in one statement. */
    public void updateResources(Connection c, List<NewVersion> versions) throws SQLException {
        if (versions.isEmpty()) {
            return;
        }
        Long[] keys = new Long[versions.size()];
        Integer[] numbers = new Integer[versions.size()];
        // As text, in ISO 8601 with its zone: no time zone of the JVM's or the session's can shift it.
        String[] stamps = new String[versions.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = versions.get(i).pk();
            numbers[i] = versions.get(i).version();
            stamps[i] = versions.get(i).at().toString();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update fhir_resource r set version = u.v, last_updated = u.at::timestamptz, deleted = false
                  from unnest(?::bigint[], ?::integer[], ?::text[]) as u(pk, v, at) where r.res_pk = u.pk""")) {
            ps.setArray(1, c.createArrayOf("bigint", keys));
            ps.setArray(2, c.createArrayOf("integer", numbers));
            ps.setArray(3, c.createArrayOf("text", stamps));
            ps.executeUpdate();
        }
    }

    public Optional<StoredResource> version(Connection c, String type, String id, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_VERSION
                + " and v.version = ? where r.res_type = ? and r.res_id = ?")) {
            ps.setInt(1, version);
            ps.setString(2, type);
            ps.setString(3, id);
            return single(ps);
        }
    }

    /** Inserts the tracking row of a new resource and returns its primary key. */
    public long insertResource(Connection c, String type, String id, int version, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into fhir_resource (res_type, res_id, version, last_updated, deleted) values (?, ?, ?, ?, false)"
                        + " returning res_pk")) {
            ps.setString(1, type);
            ps.setString(2, id);
            ps.setInt(3, version);
            ps.setTimestamp(4, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Inserts the tracking rows of many new resources at once; returns their keys in order. */
    public long[] insertResources(Connection c, List<NewResource> resources, Instant at) throws SQLException {
        long[] keys = new long[resources.size()];
        if (resources.isEmpty()) {
            return keys;
        }
        String[] types = new String[resources.size()];
        String[] ids = new String[resources.size()];
        for (int i = 0; i < resources.size(); i++) {
            types[i] = resources.get(i).type();
            ids[i] = resources.get(i).id();
        }
        // One round trip for the whole batch; "with ordinality" keeps the keys in input order.
        try (PreparedStatement ps = c.prepareStatement("""
                insert into fhir_resource (res_type, res_id, version, last_updated, deleted)
                select t, i, 1, ?, false from unnest(?::text[], ?::text[]) with ordinality as u(t, i, n) order by n
                returning res_pk""")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setArray(2, c.createArrayOf("text", types));
            ps.setArray(3, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    keys[i++] = rs.getLong(1);
                }
            }
        }
        return keys;
    }

    /** A resource to insert in a batch. */
    public record NewResource(String type, String id) {
    }

    public void updateResource(Connection c, long pk, int version, Instant at, boolean deleted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update fhir_resource set version = ?, last_updated = ?, deleted = ? where res_pk = ?")) {
            ps.setInt(1, version);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setBoolean(3, deleted);
            ps.setLong(4, pk);
            ps.executeUpdate();
        }
    }

    /**
     * A version row to insert.
     *
     * @param request the HTTP method of the request that made the version, for history; null when not known
     */
    public record NewVersion(long pk, int version, Instant at, ChangeMethod method, HTTPVerb request, String json) {
    }

    private static final MultiRowInsert<NewVersion> VERSIONS = new MultiRowInsert<>(
            "insert into fhir_resource_version (res_pk, version, last_updated, method, request_method, content)", 6,
            (ps, i, v) -> {
                ps.setLong(i, v.pk());
                ps.setInt(i + 1, v.version());
                ps.setTimestamp(i + 2, Timestamp.from(v.at()));
                ps.setString(i + 3, String.valueOf(v.method().letter()));
                ps.setString(i + 4, v.request() == null ? null : v.request().toCode());
                ps.setString(i + 5, v.json());
            });

    public void insertVersions(Connection c, List<NewVersion> versions) throws SQLException {
        VERSIONS.insert(c, versions);
    }

    /** Current versions of the given keys, in the order of the keys; deleted ones are left out. */
    /**
     * The page fetch by keys, with a fixed number of parameters per statement (1, 2, 4 ... 64). With an array
     * parameter the plan PostgreSQL caches assumes an array of some other size than the one at hand, so it planned
     * the statement afresh on almost every call, which cost it more than running it; with the number of keys in
     * the statement text the cached plan is the one it would make anyway, and is used.
     */
    private static final String[] BY_KEYS = new String[7];
    private static final String BY_KEY_ARRAY = SELECT_VERSION
            + " and v.version = r.version where r.res_pk = any (?) and not r.deleted";

    static {
        for (int b = 0; b < BY_KEYS.length; b++) {
            BY_KEYS[b] = SELECT_VERSION + " and v.version = r.version where r.res_pk in ("
                    + String.join(", ", java.util.Collections.nCopies(1 << b, "?")) + ") and not r.deleted";
        }
    }

    /** The smallest bucket (power of two) that holds {@code n} keys; -1 above the largest. */
    static int keyBucket(int n) {
        int b = 0;
        while ((1 << b) < n) {
            b++;
        }
        return b < BY_KEYS.length ? b : -1;
    }

    public List<StoredResource> currentByKeys(Connection c, Collection<Long> keys) throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<Long, StoredResource> found = new HashMap<>();
        int bucket = keyBucket(keys.size());
        try (PreparedStatement ps = c.prepareStatement(bucket < 0 ? BY_KEY_ARRAY : BY_KEYS[bucket])) {
            if (bucket < 0) {
                ps.setArray(1, c.createArrayOf("bigint", keys.toArray()));
            } else {
                // Padded with the last key up to the bucket's size: a repeated value in an IN list is harmless.
                int i = 1;
                long last = 0;
                for (Long key : keys) {
                    ps.setLong(i++, key);
                    last = key;
                }
                while (i <= 1 << bucket) {
                    ps.setLong(i++, last);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StoredResource s = map(rs);
                    found.put(s.pk(), s);
                }
            }
        }
        List<StoredResource> ordered = new ArrayList<>(keys.size());
        for (Long key : keys) {
            StoredResource s = found.get(key);
            if (s != null) {
                ordered.add(s);
            }
        }
        return ordered;
    }

    /**
     * Which of the given local references ({@code Type/id}) exist and are not deleted, each locked until the
     * transaction ends against being deleted ({@code for key share}, as a foreign key check locks the row it
     * finds): a writer that has found its targets alive keeps them so until it commits, and a delete waits for it
     * and then sees its references ({@link #lockForDeletion}). Changes to the targets do not wait for it. Rows are
     * locked in key order.
     */
    public java.util.Set<String> existing(Connection c, Collection<String> references) throws SQLException {
        return existing(c, references, null);
    }

    /**
     * Of the references ({@code Type/id}), those naming a current resource whose row ({@code r}) satisfies
     * {@code access}; null for any.
     */
    public java.util.Set<String> existing(Connection c, Collection<String> references,
                                          org.charnwood.fhir.search.AccessFilter.Fragment access)
            throws SQLException {
        java.util.Set<String> result = new java.util.HashSet<>();
        if (references.isEmpty()) {
            return result;
        }
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String ref : references) {
            int slash = ref.indexOf('/');
            types.add(ref.substring(0, slash));
            ids.add(ref.substring(slash + 1));
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select r.res_type, r.res_id from fhir_resource r
                  join unnest(?::text[], ?::text[]) as u(t, i) on r.res_type = u.t and r.res_id = u.i
                 where not r.deleted and""" + " " + (access == null ? "true" : access.sql())
                + " order by r.res_pk for key share of r")) {
            ps.setArray(1, c.createArrayOf("text", types.toArray()));
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            if (access != null) {
                access.bind(c, ps, 3);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1) + "/" + rs.getString(2));
                }
            }
        }
        return result;
    }

    /** History: versions newest first, filtered by type/id when given. */
    public List<StoredResource> history(Connection c, HistoryQuery q) throws SQLException {
        return history(c, q, null);
    }

    /**
     * History seeing only the resources {@code access} (a condition on the resource row {@code r}, judged on
     * the current version) lets the caller see; null for all.
     */
    public List<StoredResource> history(Connection c, HistoryQuery q,
                                        org.charnwood.fhir.search.AccessFilter.Fragment access) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT_VERSION).append(" where ")
                .append(access == null ? "true" : access.sql());
        List<Object> args = new ArrayList<>();
        if (q.type() != null) {
            sql.append(" and r.res_type = ?");
            args.add(q.type());
        }
        if (q.id() != null) {
            sql.append(" and r.res_id = ?");
            args.add(q.id());
        }
        if (q.since() != null) {
            sql.append(" and v.last_updated >= ?");
            args.add(Timestamp.from(q.since()));
        }
        if (q.until() != null) {
            sql.append(" and v.last_updated <= ?");
            args.add(Timestamp.from(q.until()));
        }
        if (q.at() != null) {
            // Current at some point of the period: made before it ended, and not replaced by a later version
            // at or before its start (versions of a resource are made in order, so any later one will do).
            sql.append(" and v.last_updated <= ? and not exists (select 1 from fhir_resource_version n"
                    + " where n.res_pk = v.res_pk and n.version > v.version and n.last_updated <= ?)");
            args.add(Timestamp.from(q.at().hi()));
            args.add(Timestamp.from(q.at().lo()));
        }
        if (q.after() != null) {
            // Placed by the last version of the page before, not by a count of what came before it, which changes
            // when a resource on an earlier page leaves the caller's view (deleted, or moved to another record).
            sql.append(" and (v.last_updated, v.res_pk, v.version) < (?, ?, ?)");
            args.add(Timestamp.from(q.after().lastUpdated()));
            args.add(q.after().pk());
            args.add(q.after().version());
        }
        sql.append(" order by v.last_updated desc, v.res_pk desc, v.version desc limit ? offset ?");
        args.add(q.count() + 1);
        args.add(q.offset());
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int first = access == null ? 1 : access.bind(c, ps, 1);
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(first + i, args.get(i));
            }
            List<StoredResource> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        }
    }

    /** Whether the resource row with this key satisfies the condition ({@code r} is the resource row). */
    public boolean satisfies(Connection c, long pk, org.charnwood.fhir.search.AccessFilter.Fragment access)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select 1 from fhir_resource r where r.res_pk = ? and " + access.sql())) {
            ps.setLong(1, pk);
            access.bind(c, ps, 2);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The keys of the next candidates of a bulk export: resources of {@code type}, deleted or not, last changed
     * after {@code since} (no lower bound when null), with keys above {@code afterPk}, in key order, whose
     * resource row satisfies {@code access}. {@link #exportVersions} then finds the version each had at the
     * export's instant; a resource whose current version is older than {@code since} cannot have a later one.
     */
    public List<Long> exportKeys(Connection c, String type, Instant since, long afterPk, int limit,
                                 org.charnwood.fhir.search.AccessFilter.Fragment access) throws SQLException {
        String sql = "select r.res_pk from fhir_resource r where r.res_type = ?"
                + (since == null ? "" : " and r.last_updated > ?")
                + " and r.res_pk > ? and " + access.sql() + " order by r.res_pk limit ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            ps.setString(p++, type);
            if (since != null) {
                ps.setObject(p++, java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC));
            }
            ps.setLong(p++, afterPk);
            p = access.bind(c, ps, p);
            ps.setInt(p, limit);
            List<Long> keys = new ArrayList<>(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
            return keys;
        }
    }

    /**
     * The keys of resources of {@code type}, deleted or not, last changed after {@code until}, with keys above
     * {@code afterPk}, whose resource row satisfies {@code access}, in key order: the candidates of a bulk export
     * whose current rows say nothing of the version they had at its instant.
     */
    public List<Long> exportKeysChangedAfter(Connection c, String type, Instant until, long afterPk, int limit,
                                             org.charnwood.fhir.search.AccessFilter.Fragment access)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select r.res_pk from fhir_resource r where r.res_type = ?"
                + " and r.last_updated > ? and r.res_pk > ? and " + access.sql() + " order by r.res_pk limit ?")) {
            ps.setString(1, type);
            ps.setObject(2, java.time.OffsetDateTime.ofInstant(until, java.time.ZoneOffset.UTC));
            ps.setLong(3, afterPk);
            int p = access.bind(c, ps, 4);
            ps.setInt(p, limit);
            List<Long> keys = new ArrayList<>(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
            return keys;
        }
    }

    /**
     * Of the given resources, in key order, each in the version it had at {@code until} (the latest made at or
     * before it), when there was one, it was not a deletion, it was made after {@code since} (when given), and it
     * satisfies {@code versionAccess} ({@code v} is the version row, {@code r} the resource row). Each version is
     * found by the version key, from the resource's newest backwards: for a resource unchanged since, the first.
     */
    public List<StoredResource> exportVersions(Connection c, List<Long> keys, Instant until, Instant since,
                                               org.charnwood.fhir.search.AccessFilter.Fragment versionAccess)
            throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        String sql = """
                select r.res_pk, r.res_type, r.res_id, v.version, v.last_updated, v.method, v.content,
                       v.request_method
                  from fhir_resource r
                  cross join lateral (select * from fhir_resource_version x
                                       where x.res_pk = r.res_pk and x.last_updated <= ?
                                       order by x.version desc limit 1) v
                 where r.res_pk = any (?) and v.method <> 'D'"""
                + (since == null ? "" : " and v.last_updated > ?")
                + " and " + versionAccess.sql() + " order by r.res_pk";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            ps.setObject(p++, java.time.OffsetDateTime.ofInstant(until, java.time.ZoneOffset.UTC));
            ps.setArray(p++, c.createArrayOf("bigint", keys.toArray()));
            if (since != null) {
                ps.setObject(p++, java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC));
            }
            versionAccess.bind(c, ps, p);
            List<StoredResource> out = new ArrayList<>(keys.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        }
    }

    /**
     * Resources of {@code type} deleted after {@code since} and still deleted at {@code until} (their version at
     * {@code until} is a deletion stamped after {@code since}), with keys above {@code afterPk}, whose resource row
     * satisfies {@code access}, in key order, up to {@code limit} of them: each in the version its deletion ended
     * (aliased {@code v}, as {@code versionAccess} expects), which tells whose it was. A bulk export since an instant
     * lists them as deleted. Continue from the last one's key; a short answer is the end.
     */
    public List<StoredResource> exportDeleted(Connection c, String type, Instant since, Instant until, long afterPk,
                                              int limit, org.charnwood.fhir.search.AccessFilter.Fragment access,
                                              org.charnwood.fhir.search.AccessFilter.Fragment versionAccess)
            throws SQLException {
        String sql = """
                select r.res_pk, r.res_type, r.res_id, v.version, v.last_updated, v.method, v.content,
                       v.request_method
                  from fhir_resource r
                  cross join lateral (select x.version, x.method, x.last_updated from fhir_resource_version x
                                       where x.res_pk = r.res_pk and x.last_updated <= ?
                                       order by x.version desc limit 1) d
                  join fhir_resource_version v on v.res_pk = r.res_pk and v.version = d.version - 1
                 where r.res_type = ? and r.last_updated > ? and r.res_pk > ? and d.method = 'D'
                   and d.last_updated > ? and v.method <> 'D' and"""
                + " " + access.sql() + " and " + versionAccess.sql() + " order by r.res_pk limit ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            java.time.OffsetDateTime after = java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC);
            int p = 1;
            ps.setObject(p++, java.time.OffsetDateTime.ofInstant(until, java.time.ZoneOffset.UTC));
            ps.setString(p++, type);
            ps.setObject(p++, after);
            ps.setLong(p++, afterPk);
            ps.setObject(p++, after);
            p = access.bind(c, ps, p);
            p = versionAccess.bind(c, ps, p);
            ps.setInt(p, limit);
            List<StoredResource> out = new ArrayList<>(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        }
    }

    /**
     * Parameters of a history query; {@code count + 1} rows are read so the caller knows if more exist.
     *
     * @param at    the period of {@code _at} (both ends inclusive), or null: only versions current during it
     * @param until only versions stamped at or before it, or null for all: the instant up to which changes are
     *              settled, so that an answer never holds a version newer than one still to commit
     */
    public record HistoryQuery(String type, String id, Instant since, org.charnwood.fhir.search.DateRange at,
                               int count, int offset, Instant until, HistoryPosition after) {

        /** A history query from the newest version (and {@code offset}), up to {@code until}. */
        public HistoryQuery(String type, String id, Instant since, org.charnwood.fhir.search.DateRange at,
                            int count, int offset, Instant until) {
            this(type, id, since, at, count, offset, until, null);
        }

        /** A history query of every version, however recent. */
        public HistoryQuery(String type, String id, Instant since, org.charnwood.fhir.search.DateRange at,
                            int count, int offset) {
            this(type, id, since, at, count, offset, null);
        }
    }

    /**
     * Where a page of history ends: its last version, by the history's order (newest first: stamp, then resource key,
     * then version). The next page holds the versions that come after it in that order.
     */
    public record HistoryPosition(Instant lastUpdated, long pk, int version) {

        /** The position of a version read from history. */
        public static HistoryPosition of(StoredResource version) {
            return new HistoryPosition(version.lastUpdated(), version.pk(), version.version());
        }
    }

    /**
     * Current resources that refer to the given target, as {@code Type/id}, up to {@code limit}: by any local
     * reference of theirs, wherever it is ({@code fhir_link}), not only those a search parameter indexes.
     */
    public List<String> referrers(Connection c, String type, String id, int limit) throws SQLException {
        return referrers(c, type, id, limit, null);
    }

    /** As {@link #referrers(Connection, String, String, int)}, of those whose row ({@code r}) satisfies access. */
    public List<String> referrers(Connection c, String type, String id, int limit,
                                  org.charnwood.fhir.search.AccessFilter.Fragment access) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct r.res_type, r.res_id from fhir_link x join fhir_resource r on r.res_pk = x.res_pk
                 where x.target_type = ? and x.target_id = ? and not r.deleted
                   and not (r.res_type = ? and r.res_id = ?) and""" + " " + (access == null ? "true" : access.sql())
                + " limit ?")) {
            ps.setString(1, type);
            ps.setString(2, id);
            ps.setString(3, type);
            ps.setString(4, id);
            int next = access == null ? 5 : access.bind(c, ps, 5);
            ps.setInt(next, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "/" + rs.getString(2));
                }
            }
            return out;
        }
    }

    /** Outbox row for a committed change (written in the change's transaction). */
    public void appendOutbox(Connection c, List<OutboxEntry> entries) throws SQLException {
        OUTBOX.insert(c, entries);
    }

    private static final MultiRowInsert<OutboxEntry> OUTBOX = new MultiRowInsert<>(
            "insert into fhir_outbox (res_type, res_id, version, method, occurred_at, bulk)", 6, (ps, i, e) -> {
                ps.setString(i, e.type());
                ps.setString(i + 1, e.id());
                ps.setInt(i + 2, e.version());
                ps.setString(i + 3, String.valueOf(e.method().letter()));
                ps.setTimestamp(i + 4, Timestamp.from(e.at()));
                ps.setBoolean(i + 5, e.bulk());
            });

    /**
     * Inserts the tracking rows of many new resources with one {@code COPY}, as {@link #insertResources} does;
     * returns their keys in order. The keys are drawn from the column's own sequence first (one round trip), since
     * {@code COPY} cannot return them; {@code COPY} writes given values into the identity column.
     */
    public long[] copyResources(Connection c, List<NewResource> resources, Instant at) throws SQLException {
        long[] keys = new long[resources.size()];
        if (resources.isEmpty()) {
            return keys;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select nextval(pg_get_serial_sequence('fhir_resource', 'res_pk')) from generate_series(1, ?)")) {
            ps.setInt(1, keys.length);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    keys[i++] = rs.getLong(1);
                }
            }
        }
        CopyRows rows = new CopyRows("fhir_resource", "res_pk, res_type, res_id, version, last_updated, deleted");
        for (int i = 0; i < keys.length; i++) {
            rows.row().value(keys[i]).value(resources.get(i).type()).value(resources.get(i).id()).value(1).value(at)
                    .value("f");
        }
        rows.copy(c);
        return keys;
    }

    /** Inserts many version rows with one {@code COPY}: for loads of thousands of rows a transaction. */
    public void copyVersions(Connection c, List<NewVersion> versions) throws SQLException {
        CopyRows rows = new CopyRows("fhir_resource_version",
                "res_pk, version, last_updated, method, request_method, content");
        for (NewVersion v : versions) {
            rows.row().value(v.pk()).value(v.version()).value(v.at()).value(v.method().letter())
                    .value(v.request() == null ? null : v.request().toCode()).value(v.json());
        }
        rows.copy(c);
    }

    /** Appends many outbox rows with one {@code COPY}; as {@link #appendOutbox}, in the change's transaction. */
    public void copyOutbox(Connection c, List<OutboxEntry> entries) throws SQLException {
        CopyRows rows = new CopyRows("fhir_outbox", "res_type, res_id, version, method, occurred_at, bulk");
        for (OutboxEntry e : entries) {
            rows.row().value(e.type()).value(e.id()).value(e.version()).value(e.method().letter()).value(e.at())
                    .value(e.bulk() ? "t" : "f");
        }
        rows.copy(c);
    }

    /**
     * One change recorded in the outbox.
     *
     * @param bulk written by a bulk import: relayed after every other change (see the outbox's migration)
     */
    public record OutboxEntry(String type, String id, int version, ChangeMethod method, Instant at, boolean bulk) {

        /** A change made other than by a bulk import. */
        public OutboxEntry(String type, String id, int version, ChangeMethod method, Instant at) {
            this(type, id, version, method, at, false);
        }
    }

    private static Optional<StoredResource> single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static StoredResource map(ResultSet rs) throws SQLException {
        return new StoredResource(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getTimestamp(5).toInstant(), ChangeMethod.fromLetter(rs.getString(6).charAt(0)), rs.getString(7),
                rs.getString(8) == null ? null : HTTPVerb.fromCode(rs.getString(8)));
    }
}
