package org.charnwood.fhir.search;

import org.charnwood.fhir.RepositorySettings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * FHIR R4 search over the index tables. A request becomes one SQL statement for the page (every
 * parameter a semi-join on its index table, values bound), at most one more for the total, and
 * one per round of includes: the number of statements does not grow with the number of matches.
 *
 * <p>Totals: {@code _total=accurate} counts every match; {@code estimate} takes the planner's
 * estimate unless the page already shows the exact figure; {@code none} skips it. Without
 * {@code _total} the total is exact when cheap — the whole result fits on the page, or counting
 * finishes within a bounded amount of work ({@value #BOUNDED_SCAN_ROWS} index rows, or
 * {@value #BOUNDED_TOTAL_LIMIT} matches) — and otherwise left out, so broad searches do not pay
 * for counting large tables unasked.
 *
 * <p>Counts are taken from the index rows of the search's first condition when they can be: index
 * rows exist only for current, non-deleted resources (the indexer removes them in the deleting
 * transaction), so those keys need no visit to {@code fhir_resource}; under a scope that tests only
 * security labels, the {@code _security} token rows of the same keys say which are hidden. Pages are
 * taken the same way when the caller may see every match, so only the page's own resource rows are
 * read; under a labels-only scope the first page is too, with each of its rows tested. Otherwise an
 * access scope's test reads each match's resource row (compartments, labels) before the limit.
 */
public final class SqlSearchEngine implements SearchEngine {

    static final int BOUNDED_TOTAL_LIMIT = 2000;
    static final int BOUNDED_SCAN_ROWS = 10_000;
    private static final Pattern PLAN_ROWS = Pattern.compile("rows=(\\d+)");

    private final SearchQueryParser parser;
    private final IncludeLoader includes = new IncludeLoader();
    private final Clock clock;
    private final AccessFilter access;

    public SqlSearchEngine(SearchParameterRegistry registry, ServerBase serverBase, RepositorySettings settings,
                           Clock clock) {
        this.parser = new SearchQueryParser(registry, serverBase, settings.defaultPageSize(), settings.maxPageSize());
        this.clock = clock;
        this.access = new AccessFilter(registry, serverBase, clock);
    }

    @Override
    public SearchOutcome search(Connection connection, SearchRequest request) throws SQLException {
        return search(connection, request, AccessScope.UNRESTRICTED);
    }

    @Override
    public AccessFilter accessFilter() {
        return access;
    }

    @Override
    public SearchOutcome search(Connection connection, SearchRequest request, AccessScope scope) throws SQLException {
        SearchQuery query = parser.parse(request, clock.instant());
        Scoped scoped = scoped(query, scope == null ? AccessScope.UNRESTRICTED : scope);
        List<PagedRow> page = new ArrayList<>();
        boolean beyond = false;
        if (query.count() > 0) {
            page = labelledPage(connection, scoped);
            if (page == null) {
                page = page(connection, scoped);
            }
            beyond = page.size() > query.count();
            if (beyond) {
                page = page.subList(0, query.count());
            }
        }
        PageCursor cursor = query.cursor();
        boolean backwards = cursor != null && cursor.before();
        if (backwards) {
            // Read nearest first, back from the result the page ends before; shown in the search's order.
            page = new ArrayList<>(page);
            java.util.Collections.reverse(page);
        }
        List<ResourceRow> rows = page.stream().map(PagedRow::row).toList();
        // A page read backwards came from a later one, so there is a next page; one read forwards from a result
        // follows an earlier page.
        boolean hasMore = backwards ? !page.isEmpty() : beyond;
        boolean hasEarlier = backwards ? beyond : cursor != null || query.offset() > 0;
        Integer total = total(connection, scoped, rows.size(), hasMore);
        IncludeLoader.Included included = includes.load(connection, query.includes(), rows, scoped.scope(), access);
        List<Long> keys = rows.stream().map(ResourceRow::pk).toList();
        String here = cursor != null ? cursor.parameter()
                : query.offset() > 0 ? "_getpagesoffset=" + query.offset() : null;
        String next = hasMore ? page.getLast().cursor(false).parameter() : null;
        String previous = !hasEarlier ? null : page.isEmpty() ? "" : page.getFirst().cursor(true).parameter();
        return new SearchOutcome(keys, included.keys(), total, cursor == null ? query.offset() : 0, query.count(),
                hasMore, query.warnings(), query.selfQuery(), here, next, previous, included.cut());
    }

    /** A result row with the values it was sorted by, from which the links to the pages around it are made. */
    private record PagedRow(ResourceRow row, List<String> sortValues) {
        PageCursor cursor(boolean before) {
            return new PageCursor(before, sortValues, row.pk());
        }
    }

    /**
     * A query and the access scope it runs under. {@code labelsOnly}: the scope tests nothing but security labels
     * for the query's matches ({@link AccessFilter#testsLabelsOnly}; true when unrestricted), so index rows can
     * say which matches the caller sees.
     */
    private record Scoped(SearchQuery query, AccessScope scope, boolean labelsOnly) {
    }

    private Scoped scoped(SearchQuery query, AccessScope scope) {
        return new Scoped(query, scope, access.testsLabelsOnly(scope, query.resourceType(), query.where()));
    }

    /** The SQL of the page, for tests and diagnostics (EXPLAIN). */
    Sql pageSql(SearchQuery query) {
        return pageSql(scoped(query, AccessScope.UNRESTRICTED));
    }

    /** The SQL of the page as a caller with {@code scope} would run it, for tests and diagnostics. */
    Sql pageSql(SearchQuery query, AccessScope scope) {
        return pageSql(scoped(query, scope));
    }

    private Sql pageSql(Scoped scoped) {
        SearchQuery query = scoped.query();
        Criterion.IndexMatch driver = scoped.scope().unrestricted() ? keysFirstDriver(query) : null;
        if (driver != null) {
            return keysFirstPageSql(query, driver, null);
        }
        Sql sql = new Sql().add("select r.res_pk, r.res_type, r.res_id");
        List<SortKey> sort = query.sort();
        for (int i = 0; i < sort.size(); i++) {
            sql.add(", ").add(sort.get(i).expression("r")).add(" as o" + i);
        }
        sql.add(" from fhir_resource r where ");
        where(sql, scoped);
        if (query.cursor() != null) {
            sql.add(" and ");
            beyondCursor(sql, query, sort.stream().map(key -> key.expression("r")).toList(), "r.res_pk");
        }
        sql.add(" order by ");
        orderBy(sql, query, "");
        sql.add("r.res_pk").add(reversed(query) ? " desc" : "").add(" limit ").bind(query.count() + 1)
                .add(" offset ").bind(query.offset());
        return sql;
    }

    /**
     * The page's keys taken from the driving condition's index rows, and only those keys' rows read
     * from {@code fhir_resource}. Index rows exist only for current resources, so the keys need no
     * {@code not deleted} check; checking it before the limit would visit the resource row of every
     * match (a postcode district: a thousand rows to return twenty). Sort keys on parameters are read
     * from index tables too; {@code _id} and {@code _lastUpdated} need the resource row and do not
     * come here.
     */
    private Sql keysFirstPageSql(SearchQuery query, Criterion.IndexMatch driver, AccessScope visibleTo) {
        List<SortKey> sort = query.sort();
        Sql sql = new Sql().add("select r.res_pk, r.res_type, r.res_id");
        if (visibleTo != null) {
            // A chain among the conditions tests other resources: it must see only what the caller may see.
            sql.restrictedTo(access, visibleTo);
            sql.add(", ");
            access.appendTo(sql, visibleTo, "r", query.resourceType(), query.where());
        }
        if (sort.isEmpty()) {
            // Flat, so that a broad condition can walk its table's key index in order and stop at the page.
            String direction = reversed(query) ? " desc" : "";
            sql.add(" from fhir_resource r where r.res_pk in (select distinct x0.res_pk");
            matchingKeys(sql, query, driver);
            if (query.cursor() != null) {
                sql.add(" and ");
                beyondCursor(sql, query, List.of(), "x0.res_pk");
            }
            sql.add(" order by x0.res_pk" + direction + " limit ").bind(query.count() + 1).add(" offset ")
                    .bind(query.offset());
            return sql.add(") order by r.res_pk" + direction);
        }
        for (int i = 0; i < sort.size(); i++) {
            sql.add(", p.o" + i);
        }
        sql.add(" from (select k.res_pk");
        for (int i = 0; i < sort.size(); i++) {
            sql.add(", ").add(sort.get(i).expression("k")).add(" as o" + i);
        }
        sql.add(" from (select distinct x0.res_pk");
        matchingKeys(sql, query, driver);
        sql.add(") k");
        if (query.cursor() != null) {
            sql.add(" where ");
            beyondCursor(sql, query, sort.stream().map(key -> key.expression("k")).toList(), "k.res_pk");
        }
        sql.add(" order by ");
        orderBy(sql, query, "");
        sql.add("k.res_pk").add(reversed(query) ? " desc" : "").add(" limit ").bind(query.count() + 1)
                .add(" offset ").bind(query.offset());
        sql.add(") p join fhir_resource r on r.res_pk = p.res_pk order by ");
        orderBy(sql, query, "p.");
        return sql.add("p.res_pk").add(reversed(query) ? " desc" : "");
    }

    /** The condition whose index rows can give a page's keys, or null when the statement needs the resource rows. */
    private static Criterion.IndexMatch keysFirstDriver(SearchQuery query) {
        return query.sort().stream().allMatch(key -> key.definition() != null) ? driver(query) : null;
    }

    /**
     * The first page for a caller whose scope tests only security labels here (a member of staff searching
     * patients, or a patient's records by that patient's reference): taken from the index rows as for an
     * unrestricted caller, with each of its rows tested. Labelled records are few, so the test nearly always
     * passes, and a page of twenty costs twenty resource rows rather than one per match. When a row is hidden, or
     * the search is not of this kind, null: the caller takes the statement that tests every match before the
     * limit. Later pages always do, since the rows skipped before them are not tested here.
     */
    private List<PagedRow> labelledPage(Connection c, Scoped scoped) throws SQLException {
        Sql sql = labelledPageSql(scoped);
        if (sql == null) {
            return null;
        }
        List<PagedRow> rows = new ArrayList<>(scoped.query().count() + 1);
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (!rs.getBoolean(4)) {
                    return null;
                }
                rows.add(pagedRow(rs, scoped.query(), 5));
            }
        }
        return rows;
    }

    /** A result row: key, type and id, then the sort values from column {@code firstSortValue}. */
    private static PagedRow pagedRow(ResultSet rs, SearchQuery query, int firstSortValue) throws SQLException {
        List<String> values = new ArrayList<>(query.sort().size());
        for (int i = 0; i < query.sort().size(); i++) {
            values.add(rs.getString(firstSortValue + i));
        }
        return new PagedRow(new ResourceRow(rs.getLong(1), rs.getString(2), rs.getString(3)), values);
    }

    /** The statement of {@link #labelledPage}: each row with whether the scope lets it be seen; null when not used. */
    Sql labelledPageSql(SearchQuery query, AccessScope scope) {
        return labelledPageSql(scoped(query, scope));
    }

    private Sql labelledPageSql(Scoped scoped) {
        SearchQuery query = scoped.query();
        if (scoped.scope().unrestricted() || query.offset() != 0 || query.cursor() != null || !scoped.labelsOnly()) {
            return null;
        }
        Criterion.IndexMatch driver = keysFirstDriver(query);
        return driver == null ? null : keysFirstPageSql(query, driver, scoped.scope());
    }

    /** {@code from <the driver's index rows x0> where <the driver> and <every other condition on x0.res_pk>}. */
    private static void matchingKeys(Sql sql, SearchQuery query, Criterion.IndexMatch driver) {
        driver.appendRows(sql, "x0");
        for (Criterion criterion : conditions(query)) {
            if (criterion == driver) {
                continue;
            }
            sql.add(" and ");
            criterion.appendTo(sql, "x0");
        }
    }

    /** The sort keys' part of the order; read backwards from a {@code _before} token, every key is reversed. */
    private static void orderBy(Sql sql, SearchQuery query, String qualifier) {
        List<SortKey> sort = query.sort();
        boolean reversed = reversed(query);
        for (int i = 0; i < sort.size(); i++) {
            boolean descending = sort.get(i).descending() != reversed;
            sql.add(qualifier + "o" + i).add(descending ? " desc" : " asc").add(reversed ? " nulls first, " : " nulls last, ");
        }
    }

    private static boolean reversed(SearchQuery query) {
        return query.cursor() != null && query.cursor().before();
    }

    /**
     * The results beyond the token's, in the direction read: those ordered after it for {@code _after}, before it
     * for {@code _before}. Each sort key in turn decides unless tied (nulls come last whatever the direction), and
     * the resource key breaks the last tie: {@code k0 beyond v0 or (k0 tied v0 and (k1 beyond v1 or (... or
     * (tied and key beyond))))}.
     */
    private static void beyondCursor(Sql sql, SearchQuery query, List<String> keys, String resourceKey) {
        PageCursor cursor = query.cursor();
        List<SortKey> sort = query.sort();
        boolean before = cursor.before();
        for (int i = 0; i < sort.size(); i++) {
            SortKey key = sort.get(i);
            String value = cursor.values().get(i);
            String k = keys.get(i);
            sql.add("(");
            if (value == null) {
                // Nothing sorts after a missing value but other missing ones; everything with a value before it.
                sql.add(before ? k + " is not null or " : "false or ").add("(" + k + " is null and ");
            } else {
                String beyond = key.descending() != before ? " < " : " > ";
                sql.add("(" + k + beyond + "cast(").bind(value).add(" as " + key.sqlType() + ")");
                sql.add(before ? "" : " or " + k + " is null").add(") or (" + k + " = cast(").bind(value)
                        .add(" as " + key.sqlType() + ") and ");
            }
        }
        sql.add(resourceKey + (before ? " < " : " > ")).bind(cursor.key());
        sql.add(")".repeat(sort.size() * 2));
    }

    SearchQuery parse(SearchRequest request) {
        return parser.parse(request, clock.instant());
    }

    private List<PagedRow> page(Connection c, Scoped scoped) throws SQLException {
        List<PagedRow> rows = new ArrayList<>(scoped.query().count() + 1);
        try (PreparedStatement ps = pageSql(scoped).prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(pagedRow(rs, scoped.query(), 4));
            }
        }
        return rows;
    }

    private Integer total(Connection c, Scoped scoped, int pageSize, boolean hasMore) throws SQLException {
        SearchQuery query = scoped.query();
        if (query.total() == TotalMode.NONE) {
            return null;
        }
        // The page itself shows the total when it is the last one and not empty (or the first), and was placed by
        // offset: a page placed by a paging token does not know how many results come before it.
        boolean exactFromPage = query.count() > 0 && !hasMore && query.cursor() == null
                && (pageSize > 0 || query.offset() == 0);
        if (exactFromPage) {
            return query.offset() + pageSize;
        }
        return switch (query.total()) {
            case ACCURATE -> (int) count(c, scoped, false);
            case BOUNDED -> {
                long n = count(c, scoped, true);
                yield n < 0 ? null : (int) n;
            }
            case ESTIMATE -> {
                long estimate = estimate(c, scoped);
                long atLeast = query.offset() + pageSize + (hasMore ? 1 : 0);
                yield (int) Math.min(Integer.MAX_VALUE, Math.max(estimate, atLeast));
            }
            case NONE -> null;
        };
    }

    /** The number of matches; when {@code bounded}, -1 if that would take more than bounded work. */
    private long count(Connection c, Scoped scoped, boolean bounded) throws SQLException {
        SearchQuery query = scoped.query();
        // Index rows can say what the caller may see when the scope tests labels alone (the _security token
        // rows); a count under any other restriction goes through fhir_resource.
        AccessScope scope = scoped.scope();
        Criterion.IndexMatch driver = scoped.labelsOnly() ? driver(query) : null;
        Sql sql = new Sql().restrictedTo(access, scope);
        if (driver != null) {
            // Keys straight from the first condition's index rows, the others applied to them.
            sql.add("select count(*), count(distinct s.k) from (select x0.res_pk as k");
            matchingKeys(sql, query, driver);
            if (!scope.unrestricted()) {
                sql.add(" and ");
                access.appendLabelTestOnIndexRows(sql, scope, "x0");
            }
            if (bounded) {
                sql.add(" limit ").bind(BOUNDED_SCAN_ROWS);
            }
            sql.add(") s");
            try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return bounded && rs.getLong(1) >= BOUNDED_SCAN_ROWS ? -1 : rs.getLong(2);
            }
        }
        if (bounded) {
            sql.add("select count(*) from (select 1 from fhir_resource r where ");
            where(sql, scoped);
            sql.add(" limit ").bind(BOUNDED_TOTAL_LIMIT + 1).add(") bounded");
        } else {
            sql.add("select count(*) from fhir_resource r where ");
            where(sql, scoped);
        }
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long n = rs.getLong(1);
            return bounded && n > BOUNDED_TOTAL_LIMIT ? -1 : n;
        }
    }

    private static List<Criterion> conditions(SearchQuery query) {
        return query.where() instanceof Criterion.AllOf all ? all.conditions() : List.of(query.where());
    }

    /**
     * The first condition that selects index rows of the searched type, provided no condition needs
     * the resource row itself; null otherwise.
     */
    private static Criterion.IndexMatch driver(SearchQuery query) {
        List<Criterion> conditions = conditions(query);
        if (query.resourceType() == null || conditions.stream().anyMatch(Criterion::needsResourceRow)) {
            return null;
        }
        for (Criterion criterion : conditions) {
            if (criterion instanceof Criterion.IndexMatch match && match.drivesSearch()) {
                return match;
            }
        }
        return null;
    }

    private long estimate(Connection c, Scoped scoped) throws SQLException {
        Sql sql = new Sql().add("explain select 1 from fhir_resource r where ");
        where(sql, scoped);
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                Matcher m = PLAN_ROWS.matcher(rs.getString(1));
                if (m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
            return 0;
        }
    }

    private void where(Sql sql, Scoped scoped) {
        SearchQuery query = scoped.query();
        // A condition on index rows of the type already implies the type; saying it again on
        // fhir_resource only makes the planner underestimate the matches (it assumes independence).
        boolean typeImplied = conditions(query).stream()
                .anyMatch(c -> c instanceof Criterion.IndexMatch m && m.drivesSearch());
        if (query.resourceType() != null && !typeImplied) {
            sql.add("r.res_type = ").literal(query.resourceType()).add(" and ");
        }
        sql.add("not r.deleted and ");
        sql.restrictedTo(access, scoped.scope());
        if (!scoped.scope().unrestricted()) {
            // Every row here is of the searched type and meets the query: the filter is written for that.
            access.appendTo(sql, scoped.scope(), "r", query.resourceType(), query.where());
            sql.add(" and ");
        }
        query.where().appendTo(sql, "r");
    }
}
