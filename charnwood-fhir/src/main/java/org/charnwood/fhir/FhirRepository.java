package org.charnwood.fhir;

import org.charnwood.fhir.compartment.PatientEverything;
import org.charnwood.fhir.search.AccessFilter;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchEngine;
import org.charnwood.fhir.search.SearchIndexWriter;
import org.charnwood.fhir.search.SearchOutcome;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.fhir.store.ResourceStore;
import org.charnwood.fhir.store.ResourceStore.HistoryQuery;
import org.charnwood.fhir.store.SettledChanges;
import org.charnwood.fhir.validation.ResourceValidator;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The FHIR repository: the one way in for every read and write of clinical data, whatever its
 * origin. Each call runs in its own database transaction; {@link #inTransaction} lets a caller
 * (a transaction bundle, a workflow) make several writes that commit or fail together.
 */
public final class FhirRepository {

    private final DataSource dataSource;
    private final ResourceStore store = new ResourceStore();
    private final ResourceValidator validator;
    private final SearchIndexWriter indexes;
    private final SearchEngine search;
    private final RepositorySettings settings;
    private final Clock clock;
    private final TransactionListener listener;
    private final ReadObserver reads;
    private final VersionVisibility versions;

    public FhirRepository(DataSource dataSource, ResourceValidator validator, SearchIndexWriter indexes,
                          SearchEngine search, RepositorySettings settings, Clock clock) {
        this(dataSource, validator, indexes, search, settings, clock, TransactionListener.NONE);
    }

    /**
     * @param listener told about each write transaction's changes just before it commits, inside it
     */
    public FhirRepository(DataSource dataSource, ResourceValidator validator, SearchIndexWriter indexes,
                          SearchEngine search, RepositorySettings settings, Clock clock,
                          TransactionListener listener) {
        this(dataSource, validator, indexes, search, settings, clock, listener, ReadObserver.NONE);
    }

    /**
     * @param listener told about each write transaction's changes just before it commits, inside it
     * @param reads    told about the resources each read, history, search and {@code $everything} returns
     */
    public FhirRepository(DataSource dataSource, ResourceValidator validator, SearchIndexWriter indexes,
                          SearchEngine search, RepositorySettings settings, Clock clock,
                          TransactionListener listener, ReadObserver reads) {
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
        this.reads = java.util.Objects.requireNonNull(reads, "reads");
        this.dataSource = dataSource;
        this.validator = validator;
        this.indexes = indexes;
        this.search = search;
        this.settings = settings;
        this.clock = clock;
        this.versions = new VersionVisibility(store, indexes, search);
    }

    public RepositorySettings settings() {
        return settings;
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface TransactionalWork<T> {
        T run(WriteSession session) throws SQLException;
    }

    /** Runs the work in one transaction: all of it commits, or (on any exception) none of it. */
    public <T> T inTransaction(TransactionalWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                // Announced before the clock is read for the stamp, so that no reader can take an instant at or
                // after the stamp as settled while this transaction may still commit (SettledChanges).
                SettledChanges.announce(c);
                WriteSession session = new WriteSession(c, store, validator, indexes, search, settings,
                        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
                session.listener(listener);
                T result = work.run(session);
                session.finish();
                if (!session.written().isEmpty()) {
                    listener.beforeCommit(c, java.util.Collections.unmodifiableList(session.written()));
                }
                c.commit();
                return result;
            } catch (Throwable t) {
                // A connection that broke mid-write cannot roll back either: the failure to report is the first,
                // not "connection closed" from the rollback (the server rolls the transaction back itself).
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    t.addSuppressed(rollbackFailed);
                }
                throw t;
            } finally {
                try {
                    c.setAutoCommit(autoCommit);
                } catch (SQLException onABrokenConnection) {
                    // Nothing to restore on a connection the pool will discard.
                }
            }
        } catch (SQLException e) {
            throw storageFailure(e);
        }
    }

    /**
     * What the write path's validation says of the resource (base R4, profiles, NHS number, terminology and the
     * content rules), without writing it: for a load that checks every resource before it writes any.
     */
    public List<org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent> validate(
            org.hl7.fhir.r4.model.Resource resource) {
        return validator.validate(resource);
    }

    /**
     * The local resource ({@code Type/id}) a reference names, relatively or by this server's own address, as the
     * write path reads it; null for a contained, conditional, placeholder or other server's reference.
     */
    public String localTarget(String reference) {
        return indexes.serverBase().localReference(reference);
    }

    /**
     * What is wrong with a reference to an address on this server that names no resource there (a query, a
     * fragment, a trailing slash), as the write path refuses it; null for any other reference.
     */
    public String ownAddressProblem(String reference) {
        return indexes.serverBase().ownAddressProblem(reference);
    }

    /** Which of the resources ({@code Type/id}) exist and are not deleted. */
    public java.util.Set<String> existing(java.util.Collection<String> references) {
        return withConnection(c -> store.existing(c, references));
    }

    public StoredResource read(String type, String id) {
        StoredResource found = withConnection(c -> store.current(c, type, id))
                .orElseThrow(() -> FhirException.notFound(type, id));
        if (found.deleted()) {
            throw FhirException.gone(type, id);
        }
        return returned(found);
    }

    /**
     * A read seeing only what the access scope lets the caller see: a resource outside it is reported exactly
     * as one that does not exist (404), so its existence is not revealed.
     */
    public StoredResource read(String type, String id, AccessScope scope) {
        if (scope == null || scope.unrestricted()) {
            return read(type, id);
        }
        StoredResource found = withConnection(c -> store.current(c, type, id))
                .orElseThrow(() -> FhirException.notFound(type, id));
        if (found.deleted()) {
            // Index rows, which decide visibility, go with the resource: a restricted caller cannot be told
            // that something they might not have been allowed to see was deleted.
            throw FhirException.notFound(type, id);
        }
        requireVisible(found, scope);
        return returned(found);
    }

    /**
     * A version read under an access scope: the resource must be visible now (a caller may not learn of a record
     * that has since left their view), and the version must be visible on its own content (who it was filed on, its
     * labels, its category then); otherwise 404, as if it did not exist.
     */
    public StoredResource vread(String type, String id, int version, AccessScope scope) {
        if (scope == null || scope.unrestricted()) {
            return vread(type, id, version);
        }
        StoredResource current = withConnection(c -> store.current(c, type, id))
                .orElseThrow(() -> FhirException.notFound(type, id));
        if (current.deleted()) {
            throw FhirException.notFound(type, id);
        }
        requireVisible(current, scope);
        StoredResource found = withConnection(c -> store.version(c, type, id, version)).orElseThrow(() ->
                FhirException.of(404, ErrorCode.VERSION_NOT_FOUND, IssueType.NOTFOUND,
                        type + "/" + id + " has no version " + version));
        if (found.deleted()) {
            throw FhirException.gone(type, id);
        }
        if (withConnection(c -> versions.seen(c, List.of(found), scope)).isEmpty()) {
            // The same answer as for a version that never was: the caller may know the resource, not this version.
            throw FhirException.of(404, ErrorCode.VERSION_NOT_FOUND, IssueType.NOTFOUND,
                    type + "/" + id + " has no version " + version);
        }
        return returned(found);
    }

    /** Whether the current resource with this key is inside the access scope. */
    public boolean visible(long pk, AccessScope scope) {
        if (scope == null || scope.unrestricted()) {
            return true;
        }
        AccessFilter.Fragment fragment = search.accessFilter().fragment(scope, "r");
        return withConnection(c -> store.satisfies(c, pk, fragment));
    }

    private void requireVisible(StoredResource found, AccessScope scope) {
        if (!visible(found.pk(), scope)) {
            throw FhirException.notFound(found.type(), found.id());
        }
    }

    public StoredResource vread(String type, String id, int version) {
        StoredResource found = withConnection(c -> store.version(c, type, id, version)).orElseThrow(() -> {
            if (withConnection(c -> store.current(c, type, id)).isEmpty()) {
                return FhirException.notFound(type, id);
            }
            return FhirException.of(404, ErrorCode.VERSION_NOT_FOUND, IssueType.NOTFOUND,
                    type + "/" + id + " has no version " + version);
        });
        if (found.deleted()) {
            throw FhirException.gone(type, id);
        }
        return returned(found);
    }

    /**
     * The instant up to which changes are settled: every version stamped at or before it has committed, and every
     * version committed later is stamped after it ({@link SettledChanges}). A bulk export's {@code transactionTime}
     * and the end of a history answer, so that asking again from it misses nothing.
     */
    public Instant settledUpTo() {
        return withConnection(c -> SettledChanges.upTo(c, clock));
    }

    /** History newest first; the list holds up to {@code count + 1} entries so callers can tell if more exist. */
    public List<StoredResource> history(HistoryQuery query) {
        if (query.type() != null && query.id() != null
                && withConnection(c -> store.current(c, query.type(), query.id())).isEmpty()) {
            throw FhirException.notFound(query.type(), query.id());
        }
        List<StoredResource> versions = withConnection(c -> store.history(c, query));
        return returned(versions);
    }

    /**
     * History under an access scope: only versions of resources the scope lets the caller see now, and of those only
     * the versions it lets them see on their own content ({@link VersionVisibility}); resources now deleted are left
     * out of a restricted caller's history, since what decided their visibility (their index rows) went with them.
     * An instance the caller cannot see is a 404. Paging counts only the versions seen, so a hidden version neither
     * shows nor leaves a gap: the versions before the page are read and judged again for each page.
     */
    public List<StoredResource> history(HistoryQuery query, AccessScope scope) {
        if (scope == null || scope.unrestricted()) {
            return history(query);
        }
        if (query.type() != null && query.id() != null) {
            read(query.type(), query.id(), scope);
        }
        AccessFilter.Fragment inner = search.accessFilter().fragment(scope, "r");
        AccessFilter.Fragment fragment = new AccessFilter.Fragment("not r.deleted and " + inner.sql(), inner.binds());
        int wanted = query.count() + 1;
        List<StoredResource> page = withConnection(c -> {
            List<StoredResource> out = new java.util.ArrayList<>(wanted);
            int skip = query.offset();
            int chunk = Math.max(skip + wanted, 50);
            for (int raw = 0; ; raw += chunk) {
                List<StoredResource> batch = store.history(c, new HistoryQuery(query.type(), query.id(),
                        query.since(), query.at(), chunk, raw, query.until(), query.after()), fragment);
                List<StoredResource> read = batch.size() > chunk ? batch.subList(0, chunk) : batch;
                for (StoredResource v : versions.seen(c, read, scope)) {
                    if (skip > 0) {
                        skip--;
                    } else if (out.size() < wanted) {
                        out.add(v);
                    }
                }
                if (out.size() >= wanted || batch.size() <= chunk) {
                    return out;
                }
            }
        });
        return returned(page);
    }

    /**
     * One batch of a bulk export, in key order: resources of {@code type} as they were at {@code until} (the
     * version current then, unless that was a deletion; a resource made later is left out), changed after
     * {@code since} (null: any time), with keys above {@code afterPk}, that the access scope lets the caller see.
     * A resource changed after {@code until} is judged by the scope on its current index rows (the store indexes
     * only current versions), and the version exported must besides be one the scope lets the caller see on its own
     * content: its labels, its patient and its category then ({@link VersionVisibility}).
     * Continue from the last resource's {@link StoredResource#pk()}; an empty or short batch is the end.
     */
    public List<StoredResource> exportBatch(String type, Instant since, Instant until, long afterPk, int limit,
                                            AccessScope scope) {
        return exportBatch(type, since, until, afterPk, limit, scope, scope);
    }

    /**
     * {@link #exportBatch(String, Instant, Instant, long, int, AccessScope)} for an export that selects part of what
     * its caller may see: {@code scope} is the caller's {@code access} narrowed to the export's selection (a Group's
     * members, the patients named, {@code _typeFilter}). The selection is of the record as it was at {@code until}:
     * a resource changed after it (deleted since, moved to another patient's record, recategorised) is in the
     * export when its version then is one the scope holds on its own content, as long as the caller may see the
     * resource now ({@code access} on its current version, as for any earlier version: docs/access-control.md).
     */
    public List<StoredResource> exportBatch(String type, Instant since, Instant until, long afterPk, int limit,
                                            AccessScope scope, AccessScope access) {
        AccessScope given = scope == null ? AccessScope.UNRESTRICTED : scope;
        AccessScope seeing = access == null ? AccessScope.UNRESTRICTED : access;
        AccessFilter.Fragment fragment = search.accessFilter().fragment(given, "r");
        AccessFilter.Fragment seeable = search.accessFilter().fragment(seeing, "r");
        AccessFilter.Fragment labels = search.accessFilter().versionLabels(given, "v", "r");
        // Where the export selects nothing beyond what the caller may see, the current rows decide alone.
        boolean selects = access != scope && !given.unrestricted();
        return withConnection(c -> {
            // Candidates by the resource rows, in key order, then their versions at until; a candidate made after
            // it, or deleted by then, drops out, so the batch is topped up from where the candidates ended.
            List<StoredResource> batch = new java.util.ArrayList<>(limit);
            long after = afterPk;
            while (batch.size() < limit) {
                int wanted = limit - batch.size();
                List<Long> selectedNow = store.exportKeys(c, type, since, after, wanted, fragment);
                // The selection tests a resource's current index rows, which for one changed after until describe
                // a later version (none at all once it is deleted). Those the caller may still see are candidates
                // whatever their current rows say, and their version at until is judged on its own content.
                List<Long> changedLater = selects
                        ? store.exportKeysChangedAfter(c, type, until, after, wanted, seeable) : List.of();
                java.util.TreeSet<Long> merged = new java.util.TreeSet<>(selectedNow);
                merged.addAll(changedLater);
                List<Long> keys = merged.stream().limit(wanted).toList();
                java.util.Set<Long> notSelectedNow = new java.util.HashSet<>(keys);
                notSelectedNow.removeAll(selectedNow);
                batch.addAll(versions.seen(c, store.exportVersions(c, keys, until, since, labels), given,
                        notSelectedNow));
                if (selectedNow.size() < wanted && changedLater.size() < wanted) {
                    break;
                }
                after = keys.get(keys.size() - 1);
            }
            return batch;
        });
    }

    /**
     * One batch of the resources a bulk export since {@code since} lists as deleted: of {@code type}, deleted after
     * {@code since} and still deleted at {@code until}, with keys above {@code afterPk}, in key order, each in the
     * version its deletion ended. A resource is listed when that version is one {@code scope} holds on its own
     * content (its patient, labels and category then) and its row passes {@code access}, the caller's own scope: a
     * deleted resource has no index rows, so a caller whose scope needs them (some patients, a search restriction)
     * is told of no deletion, as it is answered 404 rather than 410 for one (docs/access-control.md). The versions
     * returned are for telling whose data the list is about, not for release. Continue from the last one's
     * {@link StoredResource#pk()}; an empty or short batch is the end.
     */
    public List<StoredResource> exportDeletedBatch(String type, Instant since, Instant until, long afterPk, int limit,
                                                   AccessScope scope, AccessScope access) {
        AccessScope given = scope == null ? AccessScope.UNRESTRICTED : scope;
        AccessScope seeing = access == null ? AccessScope.UNRESTRICTED : access;
        AccessFilter.Fragment seeable = search.accessFilter().fragment(seeing, "r");
        AccessFilter.Fragment labels = search.accessFilter().versionLabels(given, "v", "r");
        return withConnection(c -> {
            List<StoredResource> batch = new java.util.ArrayList<>(limit);
            long after = afterPk;
            while (batch.size() < limit) {
                int wanted = limit - batch.size();
                List<StoredResource> ended = store.exportDeleted(c, type, since, until, after, wanted, seeable,
                        labels);
                java.util.Set<Long> all = new java.util.HashSet<>();
                ended.forEach(v -> all.add(v.pk()));
                batch.addAll(versions.seen(c, ended, given, all));
                if (ended.size() < wanted) {
                    break;
                }
                after = ended.getLast().pk();
            }
            return batch;
        });
    }

    /** Runs a search and loads the page of matches and includes. */
    public SearchPage search(SearchRequest request) {
        return search(request, AccessScope.UNRESTRICTED);
    }

    /** Runs a search seeing only what the access scope lets the caller see (matches, total, paging, includes). */
    public SearchPage search(SearchRequest request, AccessScope scope) {
        SearchPage page = withConnection(c -> {
            SearchOutcome outcome = search.search(c, request, scope);
            List<StoredResource> matches = store.currentByKeys(c, outcome.matches());
            List<StoredResource> included = store.currentByKeys(c, outcome.included());
            return new SearchPage(outcome, matches, included);
        });
        returned(page.matches());
        returned(page.included());
        return page;
    }

    /**
     * Every match of a search the access scope lets the caller see, page after page, each read as the page before
     * it placed the next: for work that must see the whole result, not its first page.
     */
    public List<StoredResource> everyMatch(SearchRequest request, AccessScope scope) {
        List<StoredResource> every = new java.util.ArrayList<>();
        for (SearchRequest placed = request; placed != null; ) {
            SearchPage page = search(placed, scope);
            every.addAll(page.matches());
            placed = placed.nextAfter(page.outcome());
        }
        return every;
    }

    /** A page of search results with its resources loaded. */
    public record SearchPage(SearchOutcome outcome, List<StoredResource> matches, List<StoredResource> included) {
    }

    /** {@code Patient/[id]/$everything}: a page of the patient's compartment; 404/410 for unknown or deleted patients. */
    public EverythingPage everything(PatientEverything finder, PatientEverything.Request request) {
        return everything(finder, request, AccessScope.UNRESTRICTED);
    }

    /**
     * {@code $everything} seeing only what the access scope lets the caller see; a patient outside it is a 404.
     */
    public EverythingPage everything(PatientEverything finder, PatientEverything.Request request,
                                     AccessScope scope) {
        read("Patient", request.patientId(), scope);
        AccessFilter.Fragment fragment = scope == null || scope.unrestricted()
                ? null : search.accessFilter().fragment(scope, "r");
        return withConnection(c -> {
            PatientEverything.Page page = finder.find(c, request, fragment);
            List<StoredResource> resources = returned(store.currentByKeys(c, page.keys()));
            List<StoredResource> referenced = returned(store.currentByKeys(c, finder.referenced(c, request, page.keys(), fragment)));
            return new EverythingPage(resources, referenced, page.hasMore());
        });
    }

    private StoredResource returned(StoredResource resource) {
        reads.returned(List.of(resource));
        return resource;
    }

    private List<StoredResource> returned(List<StoredResource> resources) {
        if (!resources.isEmpty()) {
            reads.returned(resources);
        }
        return resources;
    }

    /**
     * A page of a patient's record: the resources of the record, and the resources outside it that they refer to
     * (practitioners, organisations, locations, medications).
     */
    public record EverythingPage(List<StoredResource> resources, List<StoredResource> referenced, boolean hasMore) {
    }

    /** Read-only work on a pooled connection. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T withConnection(ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw storageFailure(e);
        }
    }

    /** PostgreSQL chose this transaction as a serialisation or deadlock victim: run afresh, it may well succeed. */
    static boolean clashed(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
    }

    private static RuntimeException storageFailure(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            // A concurrent writer created the same resource first: the client may retry.
            return FhirException.of(409, ErrorCode.VERSION_CONFLICT, IssueType.CONFLICT,
                    "Another request changed this resource at the same moment; try again");
        }
        if (clashed(e)) {
            return FhirException.of(409, ErrorCode.VERSION_CONFLICT, IssueType.TRANSIENT,
                    "The change clashed with another at the same moment; try again");
        }
        return new IllegalStateException("storage failure (SQLState " + e.getSQLState() + ")", e);
    }
}
