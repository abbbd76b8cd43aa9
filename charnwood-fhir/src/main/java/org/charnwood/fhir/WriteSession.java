package org.charnwood.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.apache.commons.io.output.StringBuilderWriter;
import org.charnwood.fhir.patch.FhirJsonPatch;
import org.charnwood.fhir.patch.JsonPatch;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchEngine;
import org.charnwood.fhir.search.SearchIndexWriter;
import org.charnwood.fhir.search.SearchIndexWriter.Indexable;
import org.charnwood.fhir.search.SearchOutcome;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.fhir.search.ServerBase;
import org.charnwood.fhir.store.ResourceStore;
import org.charnwood.fhir.store.ResourceStore.CurrentRow;
import org.charnwood.fhir.store.ResourceStore.NewResource;
import org.charnwood.fhir.store.ResourceStore.NewVersion;
import org.charnwood.fhir.store.ResourceStore.OutboxEntry;
import org.charnwood.fhir.validation.ResourceValidator;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The write path for one database transaction: validate, version, store, index and record the
 * change in the outbox. New resources are buffered and written in batches at {@link #flush()},
 * so a transaction bundle of hundreds of entries costs a handful of round trips.
 * Not thread-safe: one session per transaction.
 */
public final class WriteSession {

    /** Parameters that shape a search's result or format but select no resources. */
    private static final Set<String> NOT_CRITERIA = Set.of("_format", "_pretty", "_count", "_summary", "_elements",
            "_sort", "_total", "_include", "_revinclude", "_getpagesoffset", "_offset");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final ResourceParser PATCH_RESULT_PARSER = new ResourceParser();
    /** Initial capacity of the encoder's buffer, in chars: most stored resources are 1 to 4 KB of JSON. */
    private static final int ENCODE_BUFFER = 4096;
    /** A conditional reference: a resource type, '?', criteria (R4 http.html#trules), never absolute. */
    private static final Pattern CONDITIONAL_REFERENCE = Pattern.compile("[A-Z][A-Za-z]+\\?.*", Pattern.DOTALL);
    private static final String HISTORY = "/_history/";
    /** Searches a conditional change makes at most while its matches keep changing under it (lockedMatches). */
    private static final int CONDITIONAL_ROUNDS = 3;

    private final Connection connection;
    private final ResourceStore store;
    private final ResourceValidator validator;
    private final SearchIndexWriter indexes;
    private final SearchEngine search;
    private final RepositorySettings settings;
    /** Which absolute references name this server's own resources: as the index sees them. */
    private final ServerBase serverBase;
    private final Instant now;

    private final List<PendingCreate> pendingCreates = new ArrayList<>();
    private final List<NewVersion> pendingVersions = new ArrayList<>();
    private final List<Indexable> pendingIndexes = new ArrayList<>();
    private final List<OutboxEntry> pendingOutbox = new ArrayList<>();
    /** Set while {@link #importAll} writes: its outbox rows are marked bulk. */
    private boolean bulk;
    /** The resource being checked, left set when a check refuses it: {@link #importAll} names it. */
    private Resource checking;
    /** Set while {@link #importAll} writes resources its caller has already validated. */
    private boolean validated;
    private final List<TransactionListener.WrittenResource> written = new ArrayList<>();
    /** Told of each version {@link #importAll} writes, and decides what of it {@link #written} keeps. */
    private TransactionListener listener = TransactionListener.NONE;
    private final Set<String> referencesToCheck = new LinkedHashSet<>();
    /** Version-specific local references ({@code Type/id/_history/n}) whose version is to be checked. */
    private final Set<String> versionsToCheck = new LinkedHashSet<>();
    private final Set<String> writtenHere = new HashSet<>();
    /** Resources ({@code Type/id}) whose creation lock this transaction holds (see {@link #update}). */
    private final Set<String> creationLocked = new HashSet<>();
    private final Map<String, String> referenceSource = new LinkedHashMap<>();
    private boolean referencesCheckedElsewhere;
    /** What the writer may see, for the answers that would otherwise name or confirm what they may not; null: all. */
    private org.charnwood.fhir.search.AccessScope seenBy;
    /**
     * Resources ({@code Type/id}) the caller has been found not to see: a change by id to one is answered as to an id
     * with nothing there, and nothing of it is changed (see {@link #hideFromWriter}).
     */
    private final Set<String> hiddenFromWriter = new HashSet<>();
    /** Set for a transaction: deleted resources are checked for referrers at its end (see checkDeletesAtEnd). */
    private boolean deleteChecksAtEnd;
    /** Resources ({@code Type/id}) deleted in this session whose referrers are still to be checked. */
    private final Set<String> deletedToCheck = new LinkedHashSet<>();
    /** What conditional criteria may match, by resource type: see {@link #matchAsSeenBy}. */
    private java.util.function.Function<String, AccessScope> matchable = type -> AccessScope.UNRESTRICTED;

    WriteSession(Connection connection, ResourceStore store, ResourceValidator validator, SearchIndexWriter indexes,
                 SearchEngine search, RepositorySettings settings, Instant now) {
        this.connection = connection;
        this.store = store;
        this.validator = validator;
        this.indexes = indexes;
        this.search = search;
        this.settings = settings;
        this.serverBase = indexes.serverBase();
        this.now = now;
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Waits for, then holds until this transaction ends, an exclusive PostgreSQL advisory lock on the key, so two
     * writers that read-then-write the same thing (a patient's NEWS2 score, a team's day) take turns. Keys are
     * hashed to PostgreSQL's 32-bit lock space; a rare collision only makes two unrelated writers wait.
     */
    public void lock(String key) throws SQLException {
        try (var statement = connection.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
            statement.setString(1, key);
            statement.execute();
        }
    }

    /**
     * Makes a conditional write that may create take turns with any other on the same type and criteria: without
     * it two transactions could each search, find nothing and create, making duplicates. Held until this
     * transaction ends, so the second searches once the first's resource is committed (each statement reads what
     * is committed when it starts). Criteria are ANDed, so their order is left out of the key, as are parameters
     * that select nothing; two differently written queries that match the same resources still do not wait for
     * each other.
     */
    public void lockConditional(String type, String query) throws SQLException {
        lock("conditional-write " + conditionalKey(type, query));
    }

    /**
     * Confines every conditional match made in this session (If-None-Exist, conditional update, patch and delete,
     * conditional references) to what {@code visible} gives for the resource type: what the caller's own search
     * would find. A resource hidden from the caller then counts as no match at all, so the answer (created, no
     * match, several matches) cannot tell them it exists. Unset, conditional criteria match the whole store.
     */
    public void matchAsSeenBy(java.util.function.Function<String, AccessScope> visible) {
        this.matchable = visible;
    }

    /**
     * {@code Type?criteria} in one canonical form, so every way of writing the same criteria takes the same lock:
     * names and values decoded, result and format parameters left out, a value's comma-separated alternatives
     * (which are ORed) sorted, repeated values (ANDed with themselves) counted once, values sorted within each
     * name and names sorted.
     */
    public static String conditionalKey(String type, String query) {
        Map<String, List<String>> sorted = new TreeMap<>(QueryStrings.parse(query));
        StringBuilder key = new StringBuilder(type).append('?');
        for (Map.Entry<String, List<String>> parameter : sorted.entrySet()) {
            if (NOT_CRITERIA.contains(parameter.getKey())) {
                continue;
            }
            Set<String> values = new java.util.TreeSet<>();
            for (String value : parameter.getValue()) {
                if (!value.isEmpty()) {
                    values.add(alternativesInOrder(value));
                }
            }
            for (String value : values) {
                key.append(QueryStrings.encode(parameter.getKey())).append('=').append(QueryStrings.encode(value))
                        .append('&');
            }
        }
        return key.toString();
    }

    /** {@code b,a} as {@code a,b}: the alternatives of one value, split at commas not escaped with a backslash. */
    private static String alternativesInOrder(String value) {
        Set<String> alternatives = new java.util.TreeSet<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(c).append(value.charAt(++i));
            } else if (c == ',') {
                alternatives.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        alternatives.add(current.toString());
        return String.join(",", alternatives);
    }

    /**
     * This transaction's stamp, read when it started: the {@code lastUpdated} of the versions it writes, except one
     * replacing a version stamped at or after it, which is stamped just after that one.
     */
    public Instant now() {
        return now;
    }

    /** A new server-assigned resource id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Creates a resource with a new server-assigned id (any id in the body is replaced, as the spec says). */
    public WriteResult create(Resource resource) {
        return create(resource, newId());
    }

    /**
     * Creates a resource under an id chosen beforehand: by the server with {@link #newId()} (a
     * transaction bundle needs every new id before it writes anything, so entries can refer to each
     * other in any order), or by the exporting system in a bulk import. The caller has checked that
     * the id is free; a clash fails the transaction at flush.
     */
    public WriteResult create(Resource resource, String assignedId) {
        return create(resource, assignedId, null);
    }

    /**
     * Creates as {@link #create(Resource, String)} does, given the resource's References as
     * {@link ResourceReferences#ownedBy} found them (a transaction has just walked them to rewrite
     * them), so that the session need not walk the resource again to note which to check.
     *
     * @param references every Reference of the resource and its contained resources, or null to walk
     */
    public WriteResult create(Resource resource, String assignedId, List<Reference> references) {
        return create(resource, assignedId, references, HTTPVerb.POST);
    }

    /** Creates as {@link #create(Resource, String, List)} does, for a request made with the given method. */
    private WriteResult create(Resource resource, String assignedId, List<Reference> references, HTTPVerb request) {
        requireValidId(assignedId);
        String type = resource.fhirType();
        String id = assignedId;
        Prepared prepared = prepare(resource, id, 1, now, references);
        pendingCreates.add(new PendingCreate(type, id, resource, prepared, request));
        writtenHere.add(type + "/" + id);
        return new WriteResult(WriteResult.Kind.CREATED, type, id, 1, now, prepared.json());
    }

    /** Creates unless a resource matching {@code ifNoneExist} (a search query string) exists. */
    public WriteResult conditionalCreate(Resource resource, String ifNoneExist) throws SQLException {
        lockConditional(resource.fhirType(), ifNoneExist);
        List<StoredResource> matches = matches(resource.fhirType(), ifNoneExist, 2);
        if (matches.isEmpty()) {
            return create(resource);
        }
        if (matches.size() > 1) {
            throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                    "If-None-Exist matched " + matches.size() + " resources; it must match at most one");
        }
        StoredResource existing = matches.get(0);
        return new WriteResult(WriteResult.Kind.ALREADY_EXISTS, existing.type(), existing.id(), existing.version(),
                existing.lastUpdated(), existing.json());
    }

    /**
     * Updates (or, when the id is new, creates) the resource at {@code type/id}.
     *
     * @param ifMatch the version the client last saw, from {@code If-Match}; null to skip the check
     */
    public WriteResult update(String type, String id, Resource resource, Integer ifMatch) throws SQLException {
        return update(type, id, resource, ifMatch, null);
    }

    /**
     * Updates as {@link #update(String, String, Resource, Integer)} does, given the resource's References
     * as {@link #create(Resource, String, List)} takes them.
     */
    public WriteResult update(String type, String id, Resource resource, Integer ifMatch, List<Reference> references)
            throws SQLException {
        return update(type, id, resource, ifMatch, references, HTTPVerb.PUT);
    }

    /**
     * Updates as {@link #update(String, String, Resource, Integer, List)} does, for a request made with the given
     * method (PUT, or PATCH for the result of a patch), which history reports for the version written.
     */
    private WriteResult update(String type, String id, Resource resource, Integer ifMatch, List<Reference> references,
                               HTTPVerb request) throws SQLException {
        requireValidId(id);
        if (!type.equals(resource.fhirType())) {
            throw FhirException.badRequest(ErrorCode.TYPE_MISMATCH,
                    "The body is a " + resource.fhirType() + " but the request is for " + type);
        }
        if (resource.getIdElement().getIdPart() == null) {
            throw FhirException.badRequest(ErrorCode.ID_MISMATCH, "An update must carry the resource id in the body");
        }
        if (!id.equals(resource.getIdElement().getIdPart())) {
            throw FhirException.badRequest(ErrorCode.ID_MISMATCH,
                    "The body has id " + resource.getIdElement().getIdPart() + " but the request is for " + id);
        }
        if (hiddenFromWriter(type, id)) {
            throw notARecordToUpdate(type, id);
        }
        flush();
        var current = store.lockCurrent(connection, type, id);
        if (current.isEmpty() && ifMatch == null && creationLocked.add(type + "/" + id)) {
            // Two updates creating the same new id take turns: the second waits for the first to commit and then
            // updates what it created, instead of failing on the unique key.
            lockCreations(List.of(type + "/" + id));
            current = store.lockCurrent(connection, type, id);
        }
        if (current.isEmpty()) {
            if (ifMatch != null) {
                throw versionConflict(type, id, ifMatch, 0);
            }
            Prepared prepared = prepare(resource, id, 1, now, references);
            long pk = store.insertResource(connection, type, id, 1, now);
            record(pk, true, type, id, 1, now, ChangeMethod.CREATE, request, resource, prepared);
            writtenHere.add(type + "/" + id);
            return new WriteResult(WriteResult.Kind.CREATED, type, id, 1, now, prepared.json());
        }
        CurrentRow row = current.get();
        if (ifMatch != null && ifMatch != row.version()) {
            throw versionConflict(type, id, ifMatch, row.version());
        }
        int version = row.version() + 1;
        Instant at = stampAfter(row);
        Prepared prepared = prepare(resource, id, version, at, references);
        store.updateResource(connection, row.pk(), version, at, false);
        record(row.pk(), row.deleted(), type, id, version, at,
                row.deleted() ? ChangeMethod.CREATE : ChangeMethod.UPDATE, request, resource, prepared);
        writtenHere.add(type + "/" + id);
        return new WriteResult(row.deleted() ? WriteResult.Kind.CREATED : WriteResult.Kind.UPDATED,
                type, id, version, at, prepared.json());
    }

    /**
     * The stamp of a version replacing the current one in {@code row}: this transaction's, or, when the current
     * version is stamped at or after it, the millisecond after that one. A transaction's stamp is read when it
     * starts, so one that waited for the row while a later-starting one changed the resource and committed would
     * otherwise stamp its version before the version it replaces; history, {@code _since} and
     * {@code If-Modified-Since} rely on a resource's versions being stamped in order. The later stamp is still
     * after every instant a reader took as settled while this transaction ran ({@link FhirRepository#settledUpTo}).
     */
    private Instant stampAfter(CurrentRow row) {
        return row.lastUpdated().isBefore(now) ? now : row.lastUpdated().plusMillis(1);
    }

    /**
     * Takes, until this transaction ends, the lock that a write creating each resource ({@code Type/id}) holds, so a
     * concurrent create of the same id waits for it to commit and then finds the resource. In one round trip, in
     * sorted order.
     */
    private void lockCreations(Collection<String> targets) throws SQLException {
        try (var statement = connection.prepareStatement("""
                select pg_advisory_xact_lock(hashtext('create ' || t))
                  from (select distinct t from unnest(?::text[]) as u(t) order by t) ordered""")) {
            statement.setArray(1, connection.createArrayOf("text", targets.toArray()));
            statement.execute();
        }
    }

    /**
     * Locks, until this transaction ends, every resource ({@code Type/id}) that it will change or delete, all at
     * once and in one order (the rows in key order, then the ids not yet in use, sorted), so two transactions
     * changing the same resources in different orders wait for each other instead of deadlocking. Ids not in use
     * take the lock a create of them holds (see {@link #update}).
     */
    public void lockTargets(Collection<String> targets) throws SQLException {
        if (targets.isEmpty()) {
            return;
        }
        flush();
        Map<String, CurrentRow> rows = store.lockCurrent(connection, targets);
        List<String> fresh = new ArrayList<>();
        for (String target : targets) {
            if (!rows.containsKey(target) && creationLocked.add(target)) {
                fresh.add(target);
            }
        }
        if (!fresh.isEmpty()) {
            lockCreations(fresh);
        }
    }

    /**
     * Updates (or creates, where the id is new) many resources by the ids in their bodies, as
     * {@link #update} without If-Match would one by one, but locking and moving all their rows in
     * two round trips instead of several per resource. For loads such as a bulk import; a list
     * naming one resource twice is written one by one, so each gets its own version.
     */
    public List<WriteResult> updateAll(List<Resource> resources) throws SQLException {
        List<String> keys = new ArrayList<>(resources.size());
        for (Resource resource : resources) {
            requireValidId(resource.getIdElement().getIdPart());
            keys.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
        List<WriteResult> results = new ArrayList<>(resources.size());
        if (new HashSet<>(keys).size() < keys.size()) {
            for (Resource resource : resources) {
                results.add(update(resource.fhirType(), resource.getIdElement().getIdPart(), resource, null));
            }
            return results;
        }
        flush();
        Map<String, CurrentRow> rows = store.lockCurrent(connection, keys);
        List<NewVersion> moved = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            String type = resource.fhirType();
            String id = resource.getIdElement().getIdPart();
            CurrentRow row = rows.get(keys.get(i));
            if (row == null) {
                // Written at the id the body gives, as an update by PUT would create it.
                results.add(create(resource, id, null, HTTPVerb.PUT));
                continue;
            }
            int version = row.version() + 1;
            Instant at = stampAfter(row);
            Prepared prepared = prepare(resource, id, version, at, null);
            moved.add(new NewVersion(row.pk(), version, at, null, null, null));
            record(row.pk(), row.deleted(), type, id, version, at,
                    row.deleted() ? ChangeMethod.CREATE : ChangeMethod.UPDATE, HTTPVerb.PUT, resource, prepared);
            writtenHere.add(keys.get(i));
            results.add(new WriteResult(row.deleted() ? WriteResult.Kind.CREATED : WriteResult.Kind.UPDATED,
                    type, id, version, at, prepared.json()));
        }
        store.updateResources(connection, moved);
        return results;
    }

    /**
     * Writes many resources by the ids in their bodies, as {@link #updateAll} does, for a bulk load: the
     * resources new to the store (no row at all, not even a deleted one) are validated and versioned as
     * {@link #create(Resource, String)} would, but their version, index and outbox rows go in with one
     * {@code COPY} per table instead of batched INSERTs; the rest take {@link #updateAll}. Results are in the
     * order of the list. A list naming one resource twice is written as {@link #updateAll} writes it.
     */
    public List<WriteResult> importAll(List<Resource> resources) throws SQLException {
        return importAll(resources, false);
    }

    /**
     * {@link #importAll(List)}, leaving out the validation of each resource when the caller has already validated
     * every one of them with the repository's validator ({@link FhirRepository#validate}), as a bulk import does
     * before it writes anything: the same resource is not validated twice.
     */
    public List<WriteResult> importAll(List<Resource> resources, boolean alreadyValidated) throws SQLException {
        // Every change the import makes is marked in the outbox as bulk: relayed after live changes.
        boolean wasBulk = bulk;
        bulk = true;
        validated = alreadyValidated;
        checking = null;
        try {
            return importEach(resources);
        } catch (FhirException e) {
            // Among a thousand resources, which one a check refused is what the sender needs to find it.
            throw checking == null ? e : new RefusedResource(checking, e);
        } finally {
            bulk = wasBulk;
            validated = false;
            checking = null;
        }
    }

    private List<WriteResult> importEach(List<Resource> resources) throws SQLException {
        List<String> keys = new ArrayList<>(resources.size());
        for (Resource resource : resources) {
            checking = resource;
            requireValidId(resource.getIdElement().getIdPart());
            keys.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
        checking = null;
        if (new HashSet<>(keys).size() < keys.size()) {
            return updateAll(resources);
        }
        flush();
        // Locked (when present) so that what is decided new or existing here stays so until commit.
        Map<String, CurrentRow> rows = store.lockCurrent(connection, keys);
        List<Resource> fresh = new ArrayList<>();
        List<Prepared> freshPrepared = new ArrayList<>();
        List<Resource> existing = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            if (rows.containsKey(keys.get(i))) {
                existing.add(resource);
            } else {
                fresh.add(resource);
                freshPrepared.add(prepare(resource, resource.getIdElement().getIdPart(), 1, now, null));
            }
        }
        Map<String, WriteResult> byKey = new java.util.HashMap<>();
        if (!fresh.isEmpty()) {
            List<NewResource> newRows = new ArrayList<>(fresh.size());
            for (Resource resource : fresh) {
                newRows.add(new NewResource(resource.fhirType(), resource.getIdElement().getIdPart()));
            }
            long[] pks = store.copyResources(connection, newRows, now);
            List<NewVersion> versions = new ArrayList<>(fresh.size());
            List<Indexable> indexables = new ArrayList<>(fresh.size());
            List<OutboxEntry> outbox = new ArrayList<>(fresh.size());
            for (int i = 0; i < fresh.size(); i++) {
                Resource resource = fresh.get(i);
                String type = resource.fhirType();
                String id = resource.getIdElement().getIdPart();
                String json = freshPrepared.get(i).json();
                // At the id the exporting system gave it, as an update by PUT would create it.
                versions.add(new NewVersion(pks[i], 1, now, ChangeMethod.CREATE, HTTPVerb.PUT, json));
                indexables.add(new Indexable(pks[i], true, resource, freshPrepared.get(i).links()));
                outbox.add(new OutboxEntry(type, id, 1, ChangeMethod.CREATE, now, bulk));
                written(new TransactionListener.WrittenResource(type, id, 1, ChangeMethod.CREATE, json));
                writtenHere.add(type + "/" + id);
                byKey.put(type + "/" + id, new WriteResult(WriteResult.Kind.CREATED, type, id, 1, now, json));
            }
            store.copyVersions(connection, versions);
            indexes.writeNew(connection, indexables);
            store.copyOutbox(connection, outbox);
        }
        for (WriteResult result : updateAll(existing)) {
            byKey.put(result.type() + "/" + result.id(), result);
        }
        List<WriteResult> results = new ArrayList<>(resources.size());
        for (String key : keys) {
            results.add(byKey.get(key));
        }
        return results;
    }

    /**
     * Update by search: creates when nothing matches, updates the one match, refuses several (412). When nothing
     * matches, a body id naming a current resource is refused (409) rather than overwriting it.
     */
    public WriteResult conditionalUpdate(String type, String query, Resource resource, Integer ifMatch)
            throws SQLException {
        // Matching nothing creates: see lockConditional.
        lockConditional(type, query);
        List<StoredResource> matches = lockedMatches(type, query, 2, false);
        if (matches.size() > 1) {
            throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                    "The conditional update matched " + matches.size() + " resources; it must match at most one");
        }
        String bodyId = resource.getIdElement().getIdPart();
        if (matches.isEmpty()) {
            if (ifMatch != null) {
                // If-Match is false when there is no current representation (RFC 7232 3.1): nothing matched, so
                // nothing is at the version the client names, whether or not the body carries an id.
                throw FhirException.of(412, ErrorCode.VERSION_CONFLICT, IssueType.CONFLICT,
                        "The conditional update " + type + "?" + query + " matched no resource, so none is at"
                                + " version " + ifMatch + " as If-Match expected: search again and reapply the"
                                + " change, or send it without If-Match to create");
            }
            if (bodyId == null) {
                return create(resource, newId(), null, HTTPVerb.PUT);
            }
            refuseUnmatchedIdInUse(type, bodyId, query);
            return update(type, bodyId, resource, ifMatch);
        }
        String id = matches.get(0).id();
        if (bodyId != null && !bodyId.equals(id)) {
            throw FhirException.badRequest(ErrorCode.ID_MISMATCH,
                    "The body has id " + bodyId + " but the search matched " + type + "/" + id);
        }
        resource.setId(id);
        return update(type, id, resource, ifMatch);
    }

    /**
     * Refuses (409) a conditional update whose search matched nothing but whose body id names a current resource:
     * the resource did not meet the client's criteria, so overwriting it would change a record the client never
     * meant to (the rule R4B and R5 state). A deleted or unknown id may still be created, as R4 allows. The row is
     * locked, so it cannot come back to life before the update that follows.
     *
     * <p>A body id naming a resource the criteria could not match because it is hidden from the caller
     * ({@link #matchAsSeenBy}) is refused as an update by that id is ({@link #notARecordToUpdate}): saying it exists
     * and does not match would confirm what the caller may not know (and be untrue, as it may well match).
     */
    public void refuseUnmatchedIdInUse(String type, String id, String query) throws SQLException {
        if (hiddenFromWriter(type, id)) {
            throw notARecordToUpdate(type, id);
        }
        flush();
        var current = store.lockCurrent(connection, type, id);
        if (current.isPresent() && !current.get().deleted()) {
            AccessScope matchScope = matchable.apply(type);
            if (matchScope != null && !matchScope.unrestricted() && store.existing(connection,
                    List.of(type + "/" + id), search.accessFilter().fragment(matchScope, "r")).isEmpty()) {
                throw notARecordToUpdate(type, id);
            }
            throw FhirException.of(409, ErrorCode.CONDITIONAL_UPDATE_ID_IN_USE, IssueType.CONFLICT,
                    "The conditional update " + type + "?" + query + " matched no resource, but the body's id "
                            + id + " is that of an existing " + type + " that does not match; update it by its id"
                            + " or remove the id from the body");
        }
    }

    /**
     * Writes from here on are a caller's who may see only what the scope lets them: a local reference to a resource
     * outside it is refused as one that does not resolve (so a write cannot be used to learn that a hidden resource
     * exists), and a refused delete names only the referring resources the scope lets them see.
     */
    public void seenBy(org.charnwood.fhir.search.AccessScope scope) {
        this.seenBy = scope == null || scope.unrestricted() ? null : scope;
    }

    /**
     * Treats the resources ({@code Type/id}) as not there for the changes by id made from here on: the caller may not
     * see them, and answering as for a record they may not change would tell them it exists. Deleting one deletes
     * nothing (as for an unknown id), patching one is a 404 (as for an unknown id), and updating one, which for an
     * unknown id would create it, is refused with a 404 that names nothing of it.
     */
    public void hideFromWriter(java.util.Collection<String> references) {
        hiddenFromWriter.addAll(references);
    }

    private boolean hiddenFromWriter(String type, String id) {
        return hiddenFromWriter.contains(type + "/" + id);
    }

    /** The refusal of an update by id to a resource the writer may not see: a 404 that does not say it is there. */
    public static FhirException notARecordToUpdate(String type, String id) {
        return FhirException.of(404, ErrorCode.RESOURCE_NOT_FOUND, IssueType.NOTFOUND,
                type + "/" + id + " is not a record you can update");
    }

    /** Deletes a resource, keeping its history; deleting what is already gone or never was writes nothing. */
    public WriteResult delete(String type, String id) throws SQLException {
        return delete(type, id, null);
    }

    /**
     * Deletes a resource if it is at the version the client last saw.
     *
     * @param ifMatch the version from {@code If-Match}; null to skip the check
     */
    public WriteResult delete(String type, String id, Integer ifMatch) throws SQLException {
        flush();
        var current = hiddenFromWriter(type, id) ? java.util.Optional.<CurrentRow>empty()
                : store.lockForDeletion(connection, type, id);
        if (ifMatch != null) {
            int actual = current.map(CurrentRow::version).orElse(0);
            if (actual != ifMatch) {
                throw versionConflict(type, id, ifMatch, actual);
            }
        }
        if (current.isEmpty() || current.get().deleted()) {
            int version = current.map(CurrentRow::version).orElse(0);
            return new WriteResult(WriteResult.Kind.NOTHING_TO_DELETE, type, id, version, now, null);
        }
        if (settings.refuseDeletingReferenced() && deleteChecksAtEnd) {
            deletedToCheck.add(type + "/" + id);
        } else if (settings.refuseDeletingReferenced()) {
            List<String> referrers = store.referrers(connection, type, id, 5);
            referrers.removeIf(writtenHere::contains);
            if (!referrers.isEmpty()) {
                List<String> named = new ArrayList<>(namedReferrers(type, id, referrers));
                named.removeIf(writtenHere::contains);
                throw referencedByOthers(type + "/" + id, named);
            }
        }
        CurrentRow row = current.get();
        // The deleted version's content goes to the transaction listener: the audit record of a delete names the
        // patient whose data it was.
        String deletedJson = store.version(connection, type, id, row.version()).map(StoredResource::json).orElse(null);
        int version = row.version() + 1;
        Instant at = stampAfter(row);
        store.updateResource(connection, row.pk(), version, at, true);
        pendingVersions.add(new NewVersion(row.pk(), version, at, ChangeMethod.DELETE, HTTPVerb.DELETE, null));
        indexes.remove(connection, row.pk());
        pendingOutbox.add(new OutboxEntry(type, id, version, ChangeMethod.DELETE, at, bulk));
        written.add(new TransactionListener.WrittenResource(type, id, version, ChangeMethod.DELETE, deletedJson));
        return new WriteResult(WriteResult.Kind.DELETED, type, id, version, at, null);
    }

    /**
     * Patches the current version with an RFC 6902 JSON Patch and stores the result as a new version,
     * exactly as an update would: parsed strictly, validated, indexed.
     *
     * @param ifMatch the version the client last saw, from {@code If-Match}; null to skip the check
     * @throws FhirException 400 for a malformed patch, 404/410 when the resource is missing or deleted,
     *                       412 on a version conflict, 422 when an operation cannot be applied (including
     *                       a failed {@code test}), changes the id or type, or leaves an invalid resource
     */
    public WriteResult patch(String type, String id, String jsonPatch, Integer ifMatch) throws SQLException {
        return patch(type, id, JsonPatch.parse(jsonPatch), ifMatch);
    }

    /** Patches with an already parsed JSON Patch; see {@link #patch(String, String, String, Integer)}. */
    public WriteResult patch(String type, String id, JsonPatch patch, Integer ifMatch) throws SQLException {
        if (hiddenFromWriter(type, id)) {
            throw FhirException.notFound(type, id);
        }
        flush();
        CurrentRow row = store.lockCurrent(connection, type, id).orElseThrow(() -> FhirException.notFound(type, id));
        if (row.deleted()) {
            throw FhirException.gone(type, id);
        }
        if (ifMatch != null && ifMatch != row.version()) {
            throw versionConflict(type, id, ifMatch, row.version());
        }
        StoredResource stored = store.version(connection, type, id, row.version())
                .orElseThrow(() -> new IllegalStateException(type + "/" + id + " has no current version row"));
        Resource patched = parsePatched(FhirJsonPatch.apply(stored.json(), patch));
        // The row is locked and the version already checked, so update() cannot see a different state.
        int before = written.size();
        WriteResult result = update(type, id, patched, null, null, HTTPVerb.PATCH);
        if (written.size() > before) {
            // The version update() has just recorded was made by this patch.
            int last = written.size() - 1;
            written.set(last, written.get(last).patched());
        }
        return result;
    }

    /**
     * Patch by search, as a PATCH entry with a conditional URL in a bundle: the one match is patched; none is a 404,
     * several a 412. A JSON Patch is checked before the search.
     */
    public WriteResult conditionalPatch(String type, String query, String jsonPatch, Integer ifMatch)
            throws SQLException {
        JsonPatch patch = JsonPatch.parse(jsonPatch);
        List<StoredResource> matches = lockedMatches(type, query, 2, false);
        if (matches.isEmpty()) {
            throw FhirException.of(404, ErrorCode.CONDITIONAL_NO_MATCH, IssueType.NOTFOUND,
                    "The conditional patch " + type + "?" + query + " matched no resource to patch");
        }
        if (matches.size() > 1) {
            throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                    "The conditional patch matched " + matches.size() + " resources; it must match exactly one");
        }
        return patch(type, matches.get(0).id(), patch, ifMatch);
    }

    /** Delete by search: deletes every match (none is fine). */
    public List<WriteResult> conditionalDelete(String type, String query) throws SQLException {
        return conditionalDelete(type, query, null);
    }

    /**
     * Delete by search, each match only if it is at the version the client last saw.
     *
     * @param ifMatch the version from {@code If-Match}; null to skip the check. One version cannot be that of
     *                several resources, so with it more than one match is refused (412).
     */
    public List<WriteResult> conditionalDelete(String type, String query, Integer ifMatch) throws SQLException {
        List<StoredResource> matches = lockedMatches(type, query, 100, true);
        if (ifMatch != null && matches.size() > 1) {
            throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                    "If-Match names one version, but the conditional delete matched " + matches.size()
                            + " resources");
        }
        List<WriteResult> results = new ArrayList<>();
        for (StoredResource match : matches) {
            results.add(delete(type, match.id(), ifMatch));
        }
        return results;
    }

    /** The current stored version, flushing buffered writes first so the session reads its own writes. */
    public java.util.Optional<StoredResource> current(String type, String id) throws SQLException {
        flush();
        return store.current(connection, type, id);
    }

    /** A given version, deleted or not, flushing buffered writes first; empty when there is no such version. */
    public java.util.Optional<StoredResource> version(String type, String id, int version) throws SQLException {
        flush();
        return store.version(connection, type, id, version);
    }

    /** Runs a search inside this transaction (for conditional operations and bundle GETs). */
    public SearchOutcome search(SearchRequest request) throws SQLException {
        flush();
        return search.search(connection, request);
    }

    /**
     * Every match of a search, page after page, read inside this transaction: for work that must act on all of
     * them, not on the first page only. Each page is placed by the paging parameter the page before it gave for
     * its next page, as a client following next links would, so a large result is never read in one query.
     */
    public List<Long> everyMatch(SearchRequest request) throws SQLException {
        List<Long> every = new ArrayList<>();
        for (SearchRequest placed = request; placed != null; ) {
            SearchOutcome page = search(placed);
            every.addAll(page.matches());
            placed = placed.nextAfter(page);
        }
        return every;
    }

    /**
     * Which of the given {@code Type/id} references exist, not deleted (buffered writes included); those found stay
     * so until this transaction ends (a delete of one waits for it), so a reference to them may be written.
     */
    public Set<String> existing(java.util.Collection<String> references) throws SQLException {
        flush();
        return store.existing(connection, references);
    }

    public List<StoredResource> load(List<Long> keys) throws SQLException {
        return store.currentByKeys(connection, keys);
    }

    /** Writes everything buffered so far. Called before reads in the session and before commit. */
    public void flush() throws SQLException {
        if (!pendingCreates.isEmpty()) {
            List<NewResource> rows = pendingCreates.stream().map(p -> new NewResource(p.type, p.id)).toList();
            long[] keys = store.insertResources(connection, rows, now);
            for (int i = 0; i < keys.length; i++) {
                PendingCreate p = pendingCreates.get(i);
                record(keys[i], true, p.type, p.id, 1, now, ChangeMethod.CREATE, p.request, p.resource, p.prepared);
            }
            pendingCreates.clear();
        }
        if (!pendingVersions.isEmpty()) {
            store.insertVersions(connection, pendingVersions);
            pendingVersions.clear();
        }
        if (!pendingIndexes.isEmpty()) {
            indexes.write(connection, pendingIndexes);
            pendingIndexes.clear();
        }
        if (!pendingOutbox.isEmpty()) {
            store.appendOutbox(connection, pendingOutbox);
            pendingOutbox.clear();
        }
    }

    /**
     * Leaves reference checking to the caller, who checks the whole of a multi-transaction load at
     * its end (a bulk import arrives in chunks whose references point across chunks).
     */
    public void checkReferencesElsewhere() {
        referencesCheckedElsewhere = true;
    }

    /**
     * Flushes and returns the local references ({@code Type/id}) written so far in this session that
     * resolve to no current resource, and the version-specific ones ({@code Type/id/_history/n}) naming a version
     * that was never written; empty when dangling references are allowed. A caller that
     * can say where each reference came from (a transaction bundle) checks early with this;
     * {@link #finish()} checks again only what is still unresolved and what was written since.
     *
     * <p>The targets found are locked against deletion until this transaction ends
     * ({@link ResourceStore#existing}): a delete running at the same moment either waits for this transaction and
     * then sees its references (409), or has already locked the target and this check waits for it and then finds
     * the target gone. Without the lock each could pass its check on what the other had not yet committed. They
     * are locked when deleting referenced resources is refused even if dangling references are allowed.
     */
    public Set<String> unresolvedReferences() throws SQLException {
        flush();
        if (referencesCheckedElsewhere || referencesToCheck.isEmpty() && versionsToCheck.isEmpty()) {
            return Set.of();
        }
        Set<String> unresolved = new LinkedHashSet<>(referencesToCheck);
        if (!referencesToCheck.isEmpty()) {
            // Also locks the targets found against a concurrent delete, whether or not dangling ones are refused.
            // Seen by a caller, a target hidden from them is not found: a reference to it is as to nothing.
            unresolved.removeAll(seenBy == null ? store.existing(connection, referencesToCheck)
                    : store.existing(connection, referencesToCheck, search.accessFilter().fragment(seenBy, "r")));
        }
        if (!settings.refuseDanglingReferences()) {
            referencesToCheck.clear();
            versionsToCheck.clear();
            return Set.of();
        }
        referencesToCheck.retainAll(unresolved);
        for (var versioned = versionsToCheck.iterator(); versioned.hasNext(); ) {
            String reference = versioned.next();
            if (versionExists(reference)) {
                versioned.remove();
            } else {
                unresolved.add(reference);
            }
        }
        return unresolved;
    }

    /**
     * Checks each deleted resource for referrers once all the changes of this transaction are written, not at its
     * delete: whether a resource may go depends on what still refers to it when the transaction ends, not on
     * whether the changes that remove those references come before or after the delete.
     */
    public void checkDeletesAtEnd() {
        deleteChecksAtEnd = true;
    }

    /**
     * Flushes and returns each resource deleted in this session, when deletes are checked at the end, that a current
     * resource still refers to, with up to five of those referrers. A caller that can say which change deleted it
     * (a transaction bundle) checks with this; {@link #finish()} refuses the transaction if any is left.
     */
    public Map<String, List<String>> referencedDeletes() throws SQLException {
        flush();
        Map<String, List<String>> referenced = new LinkedHashMap<>();
        for (String deleted : deletedToCheck) {
            int slash = deleted.indexOf('/');
            List<String> referrers = store.referrers(connection, deleted.substring(0, slash),
                    deleted.substring(slash + 1), 5);
            if (!referrers.isEmpty()) {
                referenced.put(deleted, namedReferrers(deleted.substring(0, slash), deleted.substring(slash + 1),
                        referrers));
            }
        }
        deletedToCheck.retainAll(referenced.keySet());
        return referenced;
    }

    /**
     * Of the resources found referring to a deleted one, those the writer may see; when they may see none, the
     * refusal says only that other records refer to it, naming and counting nothing hidden from them.
     */
    private List<String> namedReferrers(String type, String id, List<String> referrers) throws SQLException {
        if (seenBy == null) {
            return referrers;
        }
        return store.referrers(connection, type, id, 5, search.accessFilter().fragment(seenBy, "r"));
    }

    /**
     * The refusal of a delete (409) while other resources refer to the resource, naming those given (none: those
     * referring are not the caller's to know of).
     */
    public static FhirException referencedByOthers(String deleted, List<String> referrers) {
        return FhirException.of(409, ErrorCode.REFERENCED_BY_OTHERS, IssueType.CONFLICT,
                deleted + " cannot be deleted while other records refer to it" + (referrers.isEmpty() ? ""
                        : ", for example " + String.join(", ", referrers)));
    }

    /** Flushes and checks that no deleted resource is still referred to and every local reference resolves. */
    void finish() throws SQLException {
        Map<String, List<String>> referenced = referencedDeletes();
        if (!referenced.isEmpty()) {
            Map.Entry<String, List<String>> first = referenced.entrySet().iterator().next();
            throw referencedByOthers(first.getKey(), first.getValue());
        }
        Set<String> unresolved = unresolvedReferences();
        if (!unresolved.isEmpty()) {
            List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
            for (String ref : unresolved) {
                issues.add(FhirException.issue(IssueSeverity.ERROR, ErrorCode.DANGLING_REFERENCE, IssueType.NOTFOUND,
                        "The reference " + ref + " in " + referenceSource.get(ref) + unresolved(ref),
                        null));
            }
            throw FhirException.unprocessable(issues);
        }
    }

    /** Why a reference {@link #unresolvedReferences()} returned is refused, to follow its text. */
    public static String unresolved(String reference) {
        return reference.contains(HISTORY) ? " names a version of the resource that was never written"
                : " does not resolve to a resource";
    }

    /** The versions written so far, for the {@link TransactionListener}; complete after {@link #finish()}. */
    List<TransactionListener.WrittenResource> written() {
        return written;
    }

    private void record(long pk, boolean fresh, String type, String id, int version, Instant at, ChangeMethod method,
                        HTTPVerb request, Resource resource, Prepared prepared) {
        pendingVersions.add(new NewVersion(pk, version, at, method, request, prepared.json()));
        pendingIndexes.add(new Indexable(pk, fresh, resource, prepared.links()));
        pendingOutbox.add(new OutboxEntry(type, id, version, method, at, bulk));
        written(new TransactionListener.WrittenResource(type, id, version, method, prepared.json()));
    }

    /** Keeps a version written for the listener: whole, or for an import's, what the listener keeps of it. */
    private void written(TransactionListener.WrittenResource version) {
        written.add(bulk ? listener.imported(version) : version);
    }

    /** The transaction's listener, which decides what is kept of each version an import writes. */
    void listener(TransactionListener listener) {
        this.listener = listener;
    }

    /**
     * Stamps id and meta, validates, notes the local references to check at the end, and returns
     * the JSON to store with the resource's local targets. The JSON is taken before validation because
     * evaluating FHIRPath invariants can rewrite date-time values in place (a +00:00 offset becomes Z),
     * and what is stored must be exactly what was sent.
     *
     * @param at         the version's stamp
     * @param references the resource's References when the caller has already found them, else null
     */
    private Prepared prepare(Resource resource, String id, int version, Instant at, List<Reference> references) {
        resource.setId(id);
        resource.getMeta().setVersionId(Integer.toString(version));
        // A new element rather than setting the sent one's value: that would keep the sender's precision and
        // time zone, and meta.lastUpdated must be exactly the instant history and _lastUpdated search by.
        InstantType stamp = new InstantType(java.util.Date.from(at), TemporalPrecisionEnum.MILLI);
        stamp.setTimeZoneZulu(true);
        resource.getMeta().setLastUpdatedElement(stamp);
        String json = encode(resource);
        if (validated) {
            return new Prepared(json, collectReferences(resource, references));
        }
        checking = resource;
        List<OperationOutcomeIssueComponent> issues = validator.validate(resource);
        List<OperationOutcomeIssueComponent> errors = issues.stream()
                .filter(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL)
                .toList();
        if (!errors.isEmpty()) {
            throw FhirException.unprocessable(issues);
        }
        checking = null;
        return new Prepared(json, collectReferences(resource, references));
    }

    /**
     * The local resources the resource refers to, itself excepted, noting those to check at the end. Walked
     * for every write, a bulk import's too: what it finds is kept for the delete check whether or not
     * dangling references are checked here.
     */
    private Collection<String> collectReferences(Resource resource, List<Reference> known) {
        // Checked when dangling references are refused, and locked (not checked) when deleting referenced ones is.
        boolean check = !referencesCheckedElsewhere
                && (settings.refuseDanglingReferences() || settings.refuseDeletingReferenced());
        String source = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        Set<String> targets = null;
        // What ownedBy found is what of() finds less the resources that references are linked to and that
        // have no id of their own; those are contained resources (walked anyway, as the resource's own) or
        // other entries of a bundle (collected in their own turn), so the set noted is the same.
        // A reference that only a transaction resolves is a dangling one here, refused as they are. A stored Bundle
        // (a document, a message) keeps its entries as sent: their urn:uuid references name other entries by
        // fullUrl, which is how a Bundle resolves them, not placeholders awaiting a transaction.
        boolean refuseUnresolvable = settings.refuseDanglingReferences()
                && !(resource instanceof org.hl7.fhir.r4.model.Bundle);
        for (Reference ref : known != null ? known : ResourceReferences.of(resource)) {
            if (refuseUnresolvable) {
                refuseUnresolvable(ref.getReference());
            }
            if (!(resource instanceof org.hl7.fhir.r4.model.Bundle)) {
                String ownAddress = serverBase.ownAddressProblem(ref.getReference());
                if (ownAddress != null) {
                    throw FhirException.of(422, ErrorCode.INVALID_RESOURCE, IssueType.INVALID,
                            ownAddress + " (in " + resource.fhirType() + ")");
                }
            }
            String local = serverBase.localReference(ref.getReference());
            if (local == null) {
                continue;
            }
            String version = versionOf(ref.getReference());
            if (version != null && check) {
                String versioned = local + HISTORY + version;
                if (versionsToCheck.add(versioned)) {
                    referenceSource.putIfAbsent(versioned, resource.fhirType());
                }
            }
            if (local.equals(source)) {
                continue;
            }
            if (targets == null) {
                targets = new HashSet<>();
            }
            if (targets.add(local) && check && !writtenHere.contains(local)) {
                referencesToCheck.add(local);
                referenceSource.putIfAbsent(local, resource.fhirType());
            }
        }
        return targets == null ? List.of() : targets;
    }

    /**
     * Refuses (400) what only a transaction can resolve: a conditional reference ({@code Patient?identifier=...})
     * or a {@code urn:uuid:} placeholder. Outside a bundle nothing resolves them, so stored as sent they would point
     * at nothing, unchecked, and the resource would be missing from its subject's searches. A transaction has
     * replaced them by the time its entries are written.
     */
    private static void refuseUnresolvable(String reference) {
        if (reference == null) {
            return;
        }
        if (CONDITIONAL_REFERENCE.matcher(reference).matches()) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "The conditional reference " + reference
                    + " can only be resolved in a transaction or batch bundle; refer to the resource by its"
                    + " Type/id, or send the write as an entry of a bundle");
        }
        if (reference.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "The reference " + reference
                    + " is a placeholder that only a transaction bundle can resolve (to the entry with that"
                    + " fullUrl); refer to the resource by its Type/id");
        }
    }

    /** The {@code n} of a version-specific reference ({@code .../Type/id/_history/n}), or null. */
    private static String versionOf(String reference) {
        int history = reference.indexOf(HISTORY);
        return history < 0 ? null : reference.substring(history + HISTORY.length());
    }

    /** Whether {@code Type/id/_history/n} names a version that was written (deleted or not), buffered ones included. */
    private boolean versionExists(String versioned) throws SQLException {
        String[] parts = versioned.split("/");
        if (parts.length != 4 || !parts[3].matches("[1-9][0-9]{0,8}")) {
            return false;
        }
        return store.version(connection, parts[0], parts[1], Integer.parseInt(parts[3])).isPresent();
    }

    /**
     * The local resource ({@code Type/id}) a reference names, relatively or by this server's own address, or
     * null for a contained, conditional, placeholder or other server's reference.
     */
    public String localTarget(String reference) {
        return serverBase.localReference(reference);
    }

    /**
     * Up to {@code limit} current resources matching a conditional query (If-None-Exist, a conditional
     * URL or reference), searched inside this transaction; more than {@code limit} matches is a 412.
     */
    public List<StoredResource> conditionalMatches(String type, String query, int limit) throws SQLException {
        return matches(type, query, limit);
    }

    /**
     * Up to {@code limit} current resources matching the criteria of a conditional change (update, patch or delete),
     * each locked as that change locks it ({@code forDeletion}: as a delete does) and still at the version the search
     * found, until this transaction ends; more than {@code limit} matches is a 412. A search reads what was committed
     * when it began, so a writer that changed a match while this one waited for its row may have taken it out of the
     * criteria (or deleted it): changing it then would change a record the criteria no longer name, so the search is
     * made again once the rows are held. After a few rounds of matches changing under it, it is a 409 to try again.
     */
    public List<StoredResource> lockedMatches(String type, String query, int limit, boolean forDeletion)
            throws SQLException {
        for (int round = 1; ; round++) {
            List<StoredResource> matches = matches(type, query, limit);
            boolean unchanged = true;
            // In key order, as transactions lock what they change, so two such writers take turns.
            for (StoredResource match : matches.stream()
                    .sorted(java.util.Comparator.comparingLong(StoredResource::pk)).toList()) {
                var row = forDeletion ? store.lockForDeletion(connection, type, match.id())
                        : store.lockCurrent(connection, type, match.id());
                unchanged &= row.isPresent() && !row.get().deleted() && row.get().version() == match.version();
            }
            if (unchanged) {
                return matches;
            }
            if (round == CONDITIONAL_ROUNDS) {
                throw FhirException.of(409, ErrorCode.VERSION_CONFLICT, IssueType.CONFLICT,
                        "What the conditional request " + type + "?" + query + " matched was changed by other"
                                + " requests while it was being made; try again");
            }
        }
    }

    private List<StoredResource> matches(String type, String query, int limit) throws SQLException {
        Map<String, List<String>> params = QueryStrings.parse(query);
        if (params.isEmpty()) {
            throw FhirException.of(400, ErrorCode.CONDITIONAL_WITHOUT_CRITERIA, IssueType.INVALID,
                    "A conditional request needs search criteria");
        }
        params.put("_count", List.of(Integer.toString(limit)));
        params.put("_total", List.of("none"));
        // Conditional: a query with nothing that filters is refused rather than matching every resource.
        flush();
        SearchOutcome outcome = search.search(connection, SearchRequest.conditional(type, params),
                matchable.apply(type));
        if (outcome.hasMore()) {
            throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                    "The conditional request matched more than " + limit + " resources");
        }
        return store.currentByKeys(connection, outcome.matches());
    }

    private static Resource parsePatched(String json) {
        try {
            return PATCH_RESULT_PARSER.parse(json, FhirFormat.JSON);
        } catch (FhirException e) {
            // The patch was fine as a patch; it is its result that is not a valid resource.
            if (e.status() == 400) {
                throw new FhirException(422, e.outcome());
            }
            throw e;
        }
    }

    static String encode(Resource resource) {
        // HAPI's encoder writes each bundle entry's fullUrl into the entry resource's id as a side
        // effect; encoding a copy keeps the caller's bundle (and so validation) as it was sent.
        Resource toEncode = resource instanceof org.hl7.fhir.r4.model.Bundle ? resource.copy() : resource;
        // What encodeResourceToString does, into a buffer sized for a typical resource: HAPI's writer
        // flushes after every string value, and its own buffer starts at 16 chars and is copied each
        // time it doubles.
        StringBuilderWriter text = new StringBuilderWriter(ENCODE_BUFFER);
        try {
            FhirContexts.r4().newJsonParser().encodeResourceToWriter(toEncode, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Writing to memory cannot fail", e);
        }
        return text.toString();
    }

    /** Refuses (400) an id that FHIR does not allow: up to 64 letters, digits, '-' and '.'. */
    public static void requireValidId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "'" + id + "' is not a valid resource id (1-64 letters, digits, '-' or '.')");
        }
    }

    private static FhirException versionConflict(String type, String id, int expected, int actual) {
        return FhirException.of(412, ErrorCode.VERSION_CONFLICT, IssueType.CONFLICT,
                type + "/" + id + " is at version " + actual + ", not version " + expected
                        + " as If-Match expected: read it again and reapply the change");
    }

    private record PendingCreate(String type, String id, Resource resource, Prepared prepared, HTTPVerb request) {
    }

    /**
     * A resource made ready to store.
     *
     * @param json  what is stored
     * @param links the local resources it refers to ({@code Type/id}), itself excepted, kept with its index rows
     */
    private record Prepared(String json, Collection<String> links) {
    }
}
