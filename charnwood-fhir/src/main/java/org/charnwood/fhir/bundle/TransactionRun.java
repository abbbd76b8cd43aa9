package org.charnwood.fhir.bundle;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.ExactJson;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteResult;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.patch.FhirJsonPatch;
import org.charnwood.fhir.patch.JsonPatch;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs entries inside one database transaction, in the order R4 sets for transactions: DELETE,
 * then POST, then PUT and PATCH, then GET and HEAD. A transaction runs all its entries in one
 * run; a batch runs each entry in its own.
 *
 * <p>Every identity is settled before anything is created: deletes run, then each POST gets its
 * new id (or its If-None-Exist match), and each PUT and PATCH its target (conditional URLs are
 * searched). Only then are references rewritten, so an entry may refer to any other, earlier or
 * later, and each resource is walked once. Conditional references are resolved against the store
 * as the deletes left it and against the bundle's own conditional creates and updates, before any
 * new resource is written; this keeps the buffered creates in one batch. A reference matching a
 * resource that a plain POST of the same bundle creates is therefore not seen. Every conditional
 * search runs under the session's match scope ({@link WriteSession#matchAsSeenBy}): what is hidden
 * from the caller is no match.
 *
 * <p>Any refusal is thrown as an {@link EntryFailure} naming its entry; the caller's transaction
 * then rolls everything back.
 */
final class TransactionRun {

    /** A fullUrl that is a RESTful address, {@code [base]/[type]/[id]}; group 1 is the base, with its slash. */
    private static final Pattern RESTFUL_FULL_URL =
            Pattern.compile("(https?://.+/)[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}");
    /** A version-specific reference: group 1 is the resource's own, group 2 {@code /_history/[vid]}. */
    private static final Pattern VERSIONED_REFERENCE = Pattern.compile("(.+)(/_history/[A-Za-z0-9\\-.]{1,64})");
    /** A relative reference {@code [type]/[id]}, without a version. */
    private static final Pattern RELATIVE_REFERENCE = Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}");
    /** The most resources one conditional delete may remove. */
    private static final int CONDITIONAL_DELETE_LIMIT = 100;
    /** The methods whose entries change the resource they name. */
    private static final Set<HTTPVerb> CHANGES = EnumSet.of(HTTPVerb.DELETE, HTTPVerb.PUT, HTTPVerb.PATCH);

    private final WriteSession session;
    private final BundleReader reader;
    private final List<EntryRequest> entries;
    private final boolean batch;
    private final ReturnPreference preference;
    private final PatchCheck patches;

    private final EntryOutcome[] outcomes;
    private final Plan[] plans;
    /** fullUrl of a written entry → its {@code Type/id}. */
    private final Map<String, String> placeholders = new HashMap<>();
    /** Canonical conditional URL → {@code Type/id}, seeded by the bundle's own conditional writes. */
    private final Map<String, String> conditionalTargets = new HashMap<>();
    /** Canonical If-None-Exist → position of the first POST using it. */
    private final Map<String, Integer> conditionalCreators = new HashMap<>();
    /** {@code Type/id} → the entry that changes it (a resource may change once per bundle). */
    private final Map<String, EntryRequest> changedBy;
    /** Local reference target → position of the first entry referring to it, to attribute dangling ones. */
    private final Map<String, Integer> referencedFrom = new HashMap<>();

    /**
     * @param batch     entries are independent: references to other entries' fullUrls are refused
     * @param changedBy resources changed so far, shared across a batch's runs so that two entries
     *                  of a batch cannot change one resource either
     * @param patches   sees each PATCH entry's result before the run goes on
     */
    TransactionRun(WriteSession session, BundleReader reader, List<EntryRequest> entries, boolean batch,
                   ReturnPreference preference, Map<String, EntryRequest> changedBy, PatchCheck patches) {
        this.session = session;
        this.reader = reader;
        this.entries = entries;
        this.batch = batch;
        this.preference = preference;
        this.changedBy = changedBy;
        this.patches = patches;
        this.outcomes = new EntryOutcome[entries.size()];
        this.plans = new Plan[entries.size()];
    }

    /** The outcome of each entry, in the order the entries were given. */
    List<EntryOutcome> execute() throws SQLException {
        lockConditionalCreates();
        lockTargets();
        if (!batch) {
            // What a transaction deletes is judged by what refers to it once every entry is applied.
            session.checkDeletesAtEnd();
        }
        forEach(EnumSet.of(HTTPVerb.DELETE), this::delete);
        // Each placeholder is known as soon as its entry is planned, so a later entry's conditional URL can use it.
        forEach(EnumSet.of(HTTPVerb.POST), (position, entry) -> {
            planCreate(position, entry);
            notePlaceholder(position, entry);
        });
        forEach(EnumSet.of(HTTPVerb.PUT, HTTPVerb.PATCH), (position, entry) -> {
            planChange(position, entry);
            notePlaceholder(position, entry);
        });
        lockConditionalTargets();
        forEach(EnumSet.of(HTTPVerb.POST, HTTPVerb.PUT), this::rewriteReferences);
        forEach(EnumSet.of(HTTPVerb.POST), this::create);
        forEach(EnumSet.of(HTTPVerb.PUT, HTTPVerb.PATCH), this::change);
        forEach(EnumSet.of(HTTPVerb.GET, HTTPVerb.HEAD), this::read);
        checkDeletes();
        checkReferences();
        for (int i = 0; i < plans.length; i++) {
            if (plans[i] != null && plans[i].sameAs >= 0) {
                // A repeat of an earlier conditional create: it found what that entry created.
                outcomes[i] = outcomes[plans[i].sameAs].withStatus(200);
            }
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Takes the lock of every conditional write here that may create (If-None-Exist, a conditional PUT) before any
     * of them searches, so a concurrent request with the same criteria cannot create between the search and the
     * write. All are taken at once and in one order, so two bundles locking the same criteria cannot deadlock.
     */
    private void lockConditionalCreates() throws SQLException {
        Map<String, String[]> byKey = new TreeMap<>();
        for (EntryRequest entry : entries) {
            String query = entry.method() == HTTPVerb.POST ? entry.ifNoneExist()
                    : entry.method() == HTTPVerb.PUT && entry.isConditional() ? entry.query() : null;
            if (query != null) {
                byKey.putIfAbsent(WriteSession.conditionalKey(entry.type(), query), new String[]{entry.type(), query});
            }
        }
        for (String[] typeAndQuery : byKey.values()) {
            session.lockConditional(typeAndQuery[0], typeAndQuery[1]);
        }
    }

    /**
     * Locks every resource that an entry names by its id to delete, update or patch, before any is changed: all at
     * once and in one order, so two transactions changing the same resources in different bundle orders take
     * turns instead of deadlocking (which PostgreSQL would only resolve by failing one of them).
     */
    private void lockTargets() throws SQLException {
        List<String> targets = new ArrayList<>();
        for (EntryRequest entry : entries) {
            if (CHANGES.contains(entry.method()) && !entry.isConditional() && entry.id() != null) {
                targets.add(entry.type() + "/" + entry.id());
            }
        }
        session.lockTargets(targets);
    }

    /** Locks, in one order again, what the conditional updates and patches found, once all are planned. */
    private void lockConditionalTargets() throws SQLException {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            EntryRequest entry = entries.get(i);
            if (plans[i] != null && entry.isConditional() && CHANGES.contains(entry.method())) {
                targets.add(entry.type() + "/" + plans[i].id);
            }
        }
        session.lockTargets(targets);
    }

    // ---- step 1: deletes -------------------------------------------------------------------

    private void delete(int position, EntryRequest entry) throws SQLException {
        List<WriteResult> results = new ArrayList<>();
        if (!entry.isConditional()) {
            claim(entry, entry.type() + "/" + entry.id());
            results.add(session.delete(entry.type(), entry.id(), entry.ifMatch()));
        } else {
            List<StoredResource> matches = session.lockedMatches(entry.type(),
                    resolvePlaceholders(entry, entry.query(), ".request.url"), CONDITIONAL_DELETE_LIMIT, true);
            if (entry.ifMatch() != null && matches.size() > 1) {
                throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                        "request.ifMatch names one version, but the conditional delete matched " + matches.size()
                                + " resources");
            }
            for (StoredResource match : matches) {
                claim(entry, match.type() + "/" + match.id());
                results.add(session.delete(entry.type(), match.id(), entry.ifMatch()));
            }
        }
        outcomes[position] = EntryOutcome.deleted(results, preference);
    }

    // ---- settling identities ---------------------------------------------------------------

    private void planCreate(int position, EntryRequest entry) throws SQLException {
        Plan plan = plans[position] = new Plan();
        if (entry.ifNoneExist() == null) {
            plan.id = WriteSession.newId();
            return;
        }
        String ifNoneExist = resolvePlaceholders(entry, entry.ifNoneExist(), ".request.ifNoneExist");
        String key = ConditionalUrl.key(entry.type(), ifNoneExist);
        Integer earlier = conditionalCreators.get(key);
        if (earlier != null) {
            Plan first = plans[earlier];
            plan.id = first.id;
            plan.existing = first.existing;
            plan.sameAs = first.existing == null ? earlier : -1;
            return;
        }
        List<StoredResource> matches = session.conditionalMatches(entry.type(), ifNoneExist, 2);
        if (matches.size() > 1) {
            throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                    "request.ifNoneExist '" + entry.ifNoneExist() + "' matched " + matches.size()
                            + " resources; it must match at most one");
        }
        if (matches.size() == 1) {
            plan.existing = matches.get(0);
            plan.id = plan.existing.id();
        } else {
            plan.id = WriteSession.newId();
            // Claimed so that a conditional update or patch of the same criteria, which names what this creates,
            // is refused as a second change of it (planChange).
            claim(entry, entry.type() + "/" + plan.id);
        }
        conditionalCreators.put(key, position);
        conditionalTargets.put(key, entry.type() + "/" + plan.id);
    }

    private void planChange(int position, EntryRequest entry) throws SQLException {
        Plan plan = plans[position] = new Plan();
        boolean put = entry.method() == HTTPVerb.PUT;
        String bodyId = put ? bodyId(entry.resource()) : null;
        if (!entry.isConditional()) {
            plan.id = entry.id();
        } else {
            String query = resolvePlaceholders(entry, entry.query(), ".request.url");
            String key = ConditionalUrl.key(entry.type(), query);
            String settled = conditionalTargets.get(key);
            // An earlier entry's If-None-Exist or conditional update with these criteria has settled what they name.
            // A search would not find what that entry is about to create, and this entry would create (or fail to
            // patch) instead of changing it; naming the same resource, the claim below refuses the second change.
            plan.id = settled != null ? settled.substring(entry.type().length() + 1)
                    : searchTarget(entry, query, put, bodyId);
            conditionalTargets.put(key, entry.type() + "/" + plan.id);
        }
        claim(entry, entry.type() + "/" + plan.id);
        if (put) {
            if (bodyId != null && !bodyId.equals(plan.id)) {
                throw FhirException.of(400, ErrorCode.ID_MISMATCH, IssueType.INVALID,
                        "The resource has id " + bodyId + " but the entry's request is for " + entry.type() + "/"
                                + plan.id, entry.expression() + ".resource.id");
            }
            // The request URL names the resource; a body without an id of its own takes that one.
            entry.resource().setId(plan.id);
        }
    }

    /** What a conditional update or patch names: its one match, or for an update matching none, a new resource. */
    private String searchTarget(EntryRequest entry, String query, boolean put, String bodyId) throws SQLException {
        List<StoredResource> matches = session.lockedMatches(entry.type(), query, 2, false);
        if (matches.size() > 1) {
            throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                    "The conditional URL " + entry.url() + " matched " + matches.size()
                            + " resources; it must match at most one");
        }
        if (matches.size() == 1) {
            return matches.get(0).id();
        }
        if (!put) {
            throw FhirException.of(404, ErrorCode.CONDITIONAL_NO_MATCH, IssueType.NOTFOUND,
                    "The conditional URL " + entry.url() + " matched no resource to patch");
        }
        if (bodyId != null) {
            session.refuseUnmatchedIdInUse(entry.type(), bodyId, query);
            return bodyId;
        }
        return WriteSession.newId();
    }

    /**
     * The id the client wrote in the body, or null. HAPI's parser copies an entry's fullUrl into
     * its resource's id, so a {@code urn:} id is a placeholder, not one the client chose.
     */
    private static String bodyId(Resource resource) {
        IdType id = resource.getIdElement();
        if (id.isEmpty() || id.getValue().startsWith("urn:")) {
            return null;
        }
        return id.getIdPart();
    }

    private void claim(EntryRequest entry, String identity) {
        EntryRequest earlier = changedBy.putIfAbsent(identity, entry);
        if (earlier != null && earlier != entry) {
            throw FhirException.of(400, ErrorCode.DUPLICATE_BUNDLE_ENTRY, IssueType.INVALID,
                    identity + " is changed by both " + earlier.label() + " and " + entry.label()
                            + "; a " + (batch ? "batch" : "transaction") + " may change each resource only once",
                    entry.expression());
        }
    }

    private void notePlaceholder(int position, EntryRequest entry) {
        if (!batch && entry.fullUrl() != null) {
            placeholders.put(entry.fullUrl(), entry.type() + "/" + plans[position].id);
        }
    }

    /**
     * A conditional URL's criteria with each placeholder replaced by the {@code Type/id} its entry was given. Only
     * an entry planned earlier (deletes, then creates, then updates and patches, each in bundle order) has one;
     * a placeholder that cannot be resolved here is refused rather than searched for, since it would match nothing.
     */
    private String resolvePlaceholders(EntryRequest entry, String query, String element) {
        return ConditionalPlaceholders.resolve(query, placeholder -> {
            String target = placeholders.get(placeholder);
            if (target != null) {
                return target;
            }
            boolean namesAnEntry = entries.stream().anyMatch(e -> placeholder.equals(e.fullUrl()));
            if (!namesAnEntry && placeholder.startsWith("urn:oid:")) {
                return null; // an OID that is not a placeholder here may be a value in its own right
            }
            String why = batch ? "batch entries are processed independently, so one cannot refer to another by"
                    + " its fullUrl; send a transaction instead"
                    : namesAnEntry ? "that entry is not resolved before this one (deletes come first, then creates,"
                    + " then updates and patches, each in bundle order)"
                    : "it is not the fullUrl of any entry in the transaction";
            throw FhirException.of(400, ErrorCode.INVALID_BUNDLE, IssueType.INVALID,
                    entry.expression() + " has a conditional URL naming " + placeholder + ", which cannot be"
                            + " resolved: " + why, entry.expression() + element);
        });
    }

    // ---- references ------------------------------------------------------------------------

    private void rewriteReferences(int position, EntryRequest entry) throws SQLException {
        Plan plan = plans[position];
        if (plan.existing == null && plan.sameAs < 0) {
            boolean[] resolved = {false};
            plan.references = ReferenceRewriter.rewrite(entry.resource(), reference -> {
                String target = resolveReference(position, reference);
                resolved[0] |= !target.equals(reference);
                return target;
            }, placeholders::get, () -> resolved[0] = true);
            if (resolved[0]) {
                patches.resolved(entry.method() == HTTPVerb.POST, entry.type(), plan.id, entry.resource());
            }
        }
    }

    private String resolveReference(int position, String reference) throws SQLException {
        String target = placeholder(position, reference);
        if (target == null) {
            if (reference.startsWith("urn:uuid:") || reference.startsWith("urn:oid:")) {
                throw unresolvedPlaceholder(reference);
            }
            // A conditional reference is a type, '?', criteria, and is never absolute.
            int question = reference.indexOf('?');
            target = question > 0 && !EntryRequest.isAbsolute(reference)
                    ? resolveConditional(reference.substring(0, question), reference.substring(question + 1))
                    : reference;
        }
        String local = session.localTarget(target);
        if (local != null) {
            referencedFrom.putIfAbsent(local, position);
        }
        return target;
    }

    /**
     * What another entry's fullUrl stands for: the reference itself, or a relative {@code Type/id} taken against the
     * base of the referring entry's RESTful fullUrl (bundle.html, resolving references in bundles), so that
     * {@code Basic/abc} in an entry at {@code http://example.org/fhir/Observation/1} names the entry at
     * {@code http://example.org/fhir/Basic/abc}, not a stored Basic/abc. Null when no entry is meant.
     */
    private String placeholder(int position, String reference) {
        // A version-specific reference names the entry by its fullUrl less the version (bundle.html, resolving
        // references in bundles); the version it asks for is kept, and checked at the end as any other's is.
        Matcher versioned = VERSIONED_REFERENCE.matcher(reference);
        if (versioned.matches()) {
            String target = unversionedPlaceholder(position, versioned.group(1));
            return target == null ? null : target + versioned.group(2);
        }
        return unversionedPlaceholder(position, reference);
    }

    private String unversionedPlaceholder(int position, String reference) {
        String target = placeholders.get(reference);
        if (target != null || !RELATIVE_REFERENCE.matcher(reference).matches()) {
            return target;
        }
        String fullUrl = entries.get(position).fullUrl();
        Matcher restful = fullUrl == null ? null : RESTFUL_FULL_URL.matcher(fullUrl);
        return restful != null && restful.matches() ? placeholders.get(restful.group(1) + reference) : null;
    }

    private String resolveConditional(String type, String query) throws SQLException {
        String reference = type + "?" + query;
        if (!EntryRequest.isResourceType(type)) {
            throw FhirException.of(400, ErrorCode.UNKNOWN_RESOURCE_TYPE, IssueType.INVALID,
                    "The conditional reference " + reference + " does not start with an R4 resource type");
        }
        String key = ConditionalUrl.key(type, query);
        String known = conditionalTargets.get(key);
        if (known != null) {
            return known;
        }
        List<StoredResource> matches = session.conditionalMatches(type, query, 2);
        if (matches.isEmpty()) {
            throw FhirException.of(400, ErrorCode.CONDITIONAL_NO_MATCH, IssueType.NOTFOUND,
                    "The conditional reference " + reference + " matches no resource; it must match exactly one");
        }
        if (matches.size() > 1) {
            throw FhirException.of(412, ErrorCode.MULTIPLE_MATCHES, IssueType.MULTIPLEMATCHES,
                    "The conditional reference " + reference + " matches " + matches.size()
                            + " resources; it must match exactly one");
        }
        String target = type + "/" + matches.get(0).id();
        conditionalTargets.put(key, target);
        return target;
    }

    private FhirException unresolvedPlaceholder(String reference) {
        if (batch) {
            return FhirException.of(400, ErrorCode.INVALID_BUNDLE, IssueType.INVALID,
                    "The reference " + reference + " cannot be resolved in a batch: batch entries are processed"
                            + " independently, so one cannot refer to another by its fullUrl; send a transaction"
                            + " instead");
        }
        return FhirException.of(400, ErrorCode.DANGLING_REFERENCE, IssueType.NOTFOUND,
                "The reference " + reference + " is not the fullUrl of any entry in the transaction");
    }

    /**
     * Deleted resources that something still refers to now that every entry is applied, named with the entry that
     * deleted them. Checked before dangling references: "cannot be deleted while X refers to it" says more than
     * "X refers to what does not exist".
     */
    private void checkDeletes() throws SQLException {
        Map<String, List<String>> referenced = session.referencedDeletes();
        if (referenced.isEmpty()) {
            return;
        }
        Map.Entry<String, List<String>> first = referenced.entrySet().iterator().next();
        FhirException failure = WriteSession.referencedByOthers(first.getKey(), first.getValue());
        EntryRequest entry = changedBy.get(first.getKey());
        throw entry == null ? failure : new EntryFailure(entry, failure);
    }

    /** Dangling local references, each named with the entry it came from. */
    private void checkReferences() throws SQLException {
        Set<String> unresolved = session.unresolvedReferences();
        if (unresolved.isEmpty()) {
            return;
        }
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        EntryRequest first = null;
        for (String target : unresolved) {
            // A version-specific reference (Patient/x/_history/9) was noted by the resource it names.
            Integer position = referencedFrom.get(session.localTarget(target));
            EntryRequest from = position == null ? null : entries.get(position);
            if (first == null) {
                first = from;
            }
            issues.add(FhirException.issue(IssueSeverity.ERROR, ErrorCode.DANGLING_REFERENCE, IssueType.NOTFOUND,
                    "The reference " + target + (from == null ? "" : " in " + from.label())
                            + WriteSession.unresolved(target),
                    from == null ? null : from.expression() + ".resource"));
        }
        FhirException failure = FhirException.unprocessable(issues);
        throw first == null ? failure : new EntryFailure(first, failure);
    }

    // ---- steps 2 and 3: writes -------------------------------------------------------------

    private void create(int position, EntryRequest entry) {
        Plan plan = plans[position];
        if (plan.existing != null) {
            StoredResource existing = plan.existing;
            WriteResult found = new WriteResult(WriteResult.Kind.ALREADY_EXISTS, existing.type(), existing.id(),
                    existing.version(), existing.lastUpdated(), existing.json());
            outcomes[position] = EntryOutcome.written(found, () -> parse(existing.json()), preference);
        } else if (plan.sameAs < 0) {
            // Buffered by the session: the creates of a bundle reach the database in one batch.
            WriteResult created = session.create(entry.resource(), plan.id, plan.references);
            outcomes[position] = EntryOutcome.written(created, entry::resource, preference);
        }
    }

    private void change(int position, EntryRequest entry) throws SQLException {
        String id = plans[position].id;
        if (entry.method() == HTTPVerb.PUT) {
            WriteResult updated = session.update(entry.type(), id, entry.resource(), entry.ifMatch(),
                    plans[position].references);
            outcomes[position] = EntryOutcome.written(updated, entry::resource, preference);
        } else {
            JsonPatch patch = resolvePatchReferences(position, JsonPatch.parse(PatchBody.jsonPatch(entry)));
            WriteResult patched = session.patch(entry.type(), id, patch, entry.ifMatch());
            Resource result = patched.json() == null ? null : parse(patched.json());
            if (result != null) {
                // Refused, the entry fails and its transaction takes the patched version back with it.
                patches.check(entry.type(), id, result);
            }
            outcomes[position] = EntryOutcome.written(patched, () -> result, preference);
        }
    }

    /** Placeholders and conditional references written by a patch resolve as in any other entry. */
    private JsonPatch resolvePatchReferences(int position, JsonPatch patch) throws SQLException {
        Set<String> references = FhirJsonPatch.references(patch);
        if (references.isEmpty()) {
            return patch;
        }
        Map<String, String> resolved = new HashMap<>();
        for (String reference : references) {
            resolved.put(reference, resolveReference(position, reference));
        }
        return FhirJsonPatch.withReferences(patch, reference -> resolved.getOrDefault(reference, reference));
    }

    // ---- step 4: reads ---------------------------------------------------------------------

    private void read(int position, EntryRequest entry) throws SQLException {
        Resource result;
        if (entry.id() == null) {
            // A search naming another entry by its fullUrl (subject=urn:uuid:...) searches for what that entry
            // wrote, as a conditional URL does; any other value, a urn: identifier say, is searched as written.
            String query = batch ? entry.query() : ConditionalPlaceholders.resolve(entry.query(), placeholders::get);
            result = reader.search(session, entry.type(), QueryStrings.parse(query));
        } else if (entry.version() != null) {
            result = reader.vread(session, entry.type(), entry.id(), entry.version());
        } else {
            result = reader.read(session, entry.type(), entry.id());
        }
        outcomes[position] = EntryOutcome.read(result, entry);
    }

    // ---- plumbing --------------------------------------------------------------------------

    @FunctionalInterface
    private interface Step {
        void run(int position, EntryRequest entry) throws SQLException;
    }

    /** Runs a step over the entries with the given methods, in request order, naming the entry on failure. */
    private void forEach(Set<HTTPVerb> methods, Step step) throws SQLException {
        for (int i = 0; i < entries.size(); i++) {
            EntryRequest entry = entries.get(i);
            if (methods.contains(entry.method())) {
                try {
                    step.run(i, entry);
                } catch (FhirException e) {
                    throw new EntryFailure(entry, e);
                }
            }
        }
    }

    private static Resource parse(String json) {
        return ExactJson.parse(json);
    }

    /** What a POST, PUT or PATCH entry will write to, settled before any write. */
    private static final class Plan {
        /** The target id: new, matched, or from the URL. */
        String id;
        /** The resource a conditional create found; nothing is written. */
        StoredResource existing;
        /** For a repeated conditional create: the position of the entry whose create it shares. */
        int sameAs = -1;
        /** The References of the entry's resource as the rewrite found them, so the write need not walk again. */
        List<Reference> references;
    }
}
