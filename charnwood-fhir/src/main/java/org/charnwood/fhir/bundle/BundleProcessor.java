package org.charnwood.fhir.bundle;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RedactedFailure;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Processes transaction and batch bundles as FHIR R4 defines them (http.html#transaction).
 *
 * <p>A transaction is all or nothing, in one database transaction: entries run DELETE, POST,
 * PUT/PATCH, GET/HEAD; fullUrl placeholders ({@code urn:uuid:}, {@code urn:oid:}) and conditional
 * references ({@code Patient?identifier=system|value}) are rewritten to the resources they name;
 * any refusal rolls back everything and is thrown as a {@link FhirException} whose OperationOutcome
 * names the failing entry ({@code Bundle.entry[n]}).
 *
 * <p>A batch runs each entry in its own database transaction (in the same method order) and reports
 * each entry's success or failure in its response entry; entries cannot refer to one another.
 *
 * <p>Responses list one entry per request entry, in request order. Resources in the request are
 * changed in place (ids assigned, references rewritten) rather than copied, so a caller should not
 * reuse a request bundle.
 */
public final class BundleProcessor {

    private static final Logger log = LoggerFactory.getLogger(BundleProcessor.class);

    private final FhirRepository repository;
    private final BundleReader reader;
    /** What conditional URLs and references may match, by type ({@link WriteSession#matchAsSeenBy}). */
    private final Function<String, AccessScope> matchable;
    /** What the caller may see, for the references and refusals of every entry ({@link WriteSession#seenBy}). */
    private final AccessScope seenBy;
    /** Resources ({@code Type/id}) the caller may not see, answered as not there ({@link WriteSession#hideFromWriter}). */
    private final java.util.Set<String> hidden;

    /** A processor whose GET and HEAD entries read through the entry's write session. */
    public BundleProcessor(FhirRepository repository) {
        this(repository, new SessionBundleReader(repository.settings()));
    }

    public BundleProcessor(FhirRepository repository, BundleReader reader) {
        this(repository, reader, type -> AccessScope.UNRESTRICTED, null, java.util.Set.of());
    }

    private BundleProcessor(FhirRepository repository, BundleReader reader, Function<String, AccessScope> matchable,
                            AccessScope seenBy, java.util.Set<String> hidden) {
        this.repository = repository;
        this.reader = reader;
        this.matchable = matchable;
        this.seenBy = seenBy;
        this.hidden = java.util.Set.copyOf(hidden);
    }

    /**
     * A processor whose entries' conditional URLs and references match only what {@code visible} gives for each
     * type, the caller's own view of the store: a match hidden from them is no match.
     */
    public BundleProcessor matchingAsSeenBy(Function<String, AccessScope> visible) {
        return new BundleProcessor(repository, reader, visible, seenBy, hidden);
    }

    /**
     * A processor whose entries are written by a caller who sees only {@code scope}: a reference to a resource
     * outside it does not resolve, a refused delete names only the referrers they see, and changes by id to the
     * {@code hidden} resources ({@code Type/id}), which the caller may not see, are answered as to ids with nothing
     * there. All as single writes are ({@link WriteSession#seenBy}, {@link WriteSession#hideFromWriter}).
     */
    public BundleProcessor writtenAsSeenBy(AccessScope scope, java.util.Set<String> hidden) {
        return new BundleProcessor(repository, reader, matchable, scope, hidden);
    }

    private void asSeenBy(WriteSession session) {
        session.matchAsSeenBy(matchable);
        session.seenBy(seenBy);
        session.hideFromWriter(hidden);
    }

    /** Processes the bundle, returning stored resources in the response (return=representation). */
    public Bundle process(Resource request) {
        return process(request, ReturnPreference.REPRESENTATION);
    }

    /**
     * Processes a transaction or batch bundle.
     *
     * @throws FhirException 400 when the request is not a transaction or batch bundle or a transaction
     *                       entry is malformed; for a transaction, the failing entry's status
     */
    public Bundle process(Resource request, ReturnPreference preference) {
        return process(request, preference, PatchCheck.NONE);
    }

    /**
     * Processes a transaction or batch bundle, giving each PATCH entry's result to {@code patches} before the
     * bundle goes on; its refusal fails that entry (and so a whole transaction).
     *
     * @throws FhirException as {@link #process(Resource, ReturnPreference)}
     */
    public Bundle process(Resource request, ReturnPreference preference, PatchCheck patches) {
        return process(request, preference, patches, null);
    }

    /**
     * Processes a transaction or batch bundle as {@link #process(Resource, ReturnPreference, PatchCheck)} does;
     * each response entry that returns a resource has that resource's absolute URL under {@code baseUrl} (the
     * FHIR endpoint, such as {@code https://example.org/fhir}) as its fullUrl. Without a base URL (null) the
     * entries have none, since a fullUrl must be absolute.
     */
    public Bundle process(Resource request, ReturnPreference preference, PatchCheck patches, String baseUrl) {
        return process(request, preference, patches, baseUrl, Map.of());
    }

    /**
     * Processes a transaction or batch bundle as {@link #process(Resource, ReturnPreference, PatchCheck, String)}
     * does, with the batch entries whose resources could not be read ({@code refusedEntries}, by entry index)
     * answered with their refusals and not processed.
     */
    public Bundle process(Resource request, ReturnPreference preference, PatchCheck patches, String baseUrl,
                          Map<Integer, FhirException> refusedEntries) {
        if (!(request instanceof Bundle bundle)) {
            throw FhirException.badRequest(ErrorCode.INVALID_BUNDLE, "Expected a Bundle of type transaction or"
                    + " batch, but the body is " + (request == null ? "empty" : "a " + request.fhirType()));
        }
        BundleType type = bundle.getType();
        if (type == BundleType.TRANSACTION) {
            return transaction(bundle, preference, patches, baseUrl);
        }
        if (type == BundleType.BATCH) {
            return batch(bundle, preference, patches, baseUrl, refusedEntries);
        }
        throw FhirException.of(400, ErrorCode.INVALID_BUNDLE, IssueType.INVALID,
                "A Bundle sent for processing must be of type transaction or batch, not "
                        + (type == null || type == BundleType.NULL ? "untyped" : type.toCode()), "Bundle.type");
    }

    private Bundle transaction(Bundle bundle, ReturnPreference preference, PatchCheck patches, String baseUrl) {
        List<EntryRequest> entries = new ArrayList<>(bundle.getEntry().size());
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            entries.add(EntryRequest.parse(i, bundle.getEntry().get(i)));
        }
        requireDistinctFullUrls(bundle);
        List<EntryOutcome> outcomes;
        try {
            outcomes = repository.inTransaction(session -> {
                asSeenBy(session);
                return new TransactionRun(session, reader, entries, false, preference, new HashMap<>(), patches)
                        .execute();
            });
        } catch (EntryFailure failure) {
            throw failure.asTransactionFailure();
        }
        return response(BundleType.TRANSACTIONRESPONSE, outcomes, baseUrl);
    }

    private Bundle batch(Bundle bundle, ReturnPreference preference, PatchCheck patches, String baseUrl,
                         Map<Integer, FhirException> refusedEntries) {
        requireDistinctFullUrls(bundle);
        int size = bundle.getEntry().size();
        EntryOutcome[] outcomes = new EntryOutcome[size];
        List<EntryRequest> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (refusedEntries.containsKey(i)) {
                outcomes[i] = EntryOutcome.failed(refusedEntries.get(i));
                continue;
            }
            try {
                entries.add(EntryRequest.parse(i, bundle.getEntry().get(i)));
            } catch (FhirException malformed) {
                outcomes[i] = EntryOutcome.failed(malformed);
            }
        }
        // R4 has batches run in the transaction order too, though independent entries should not care.
        entries.sort((a, b) -> Integer.compare(stage(a.method()), stage(b.method())));
        // Batch entries must be independent (R4 has servers check it), so a second entry changing a
        // resource is refused even when the first one failed: its outcome would depend on the first.
        Map<String, EntryRequest> changed = new HashMap<>();
        for (EntryRequest entry : entries) {
            outcomes[entry.index()] = batchEntry(entry, preference, changed, patches);
        }
        return response(BundleType.BATCHRESPONSE, Arrays.asList(outcomes), baseUrl);
    }

    private EntryOutcome batchEntry(EntryRequest entry, ReturnPreference preference,
                                    Map<String, EntryRequest> changed, PatchCheck patches) {
        try {
            return repository.inTransaction(session -> {
                asSeenBy(session);
                return new TransactionRun(session, reader, List.of(entry), true, preference, changed, patches)
                        .execute().get(0);
            });
        } catch (EntryFailure failure) {
            return EntryOutcome.failed(failure.failure());
        } catch (FhirException failure) {
            return EntryOutcome.failed(failure);
        } catch (RuntimeException unexpected) {
            // One entry's fault must not lose the others' responses. The log gets where and what only: the entry's
            // URL can hold search criteria (names, NHS number, birth date) and the failure's messages the values
            // it choked on.
            log.error("Batch entry {} ({} {}) failed unexpectedly", entry.index(), entry.method().toCode(),
                    entry.type(), RedactedFailure.of(unexpected));
            return EntryOutcome.failed(FhirException.of(500, ErrorCode.INTERNAL_ERROR, IssueType.EXCEPTION,
                    "The entry could not be processed because of an internal error"));
        }
    }

    private static int stage(HTTPVerb method) {
        return switch (method) {
            case DELETE -> 0;
            case POST -> 1;
            case PUT, PATCH -> 2;
            default -> 3;
        };
    }

    /**
     * bdl-7: a fullUrl identifies one entry, so two entries may not share one; bdl-8: it names a resource, not one of
     * its versions, since a version-specific reference to an entry is matched by the fullUrl without its version.
     */
    private static void requireDistinctFullUrls(Bundle bundle) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            BundleEntryComponent entry = bundle.getEntry().get(i);
            if (!entry.hasFullUrl()) {
                continue;
            }
            if (entry.getFullUrl().contains("/_history/")) {
                throw FhirException.of(400, ErrorCode.INVALID_BUNDLE, IssueType.INVALID,
                        "Bundle.entry[" + i + "] has the fullUrl " + entry.getFullUrl() + ", which names a version;"
                                + " a fullUrl names the resource itself, without /_history/",
                        "Bundle.entry[" + i + "].fullUrl");
            }
            Integer earlier = seen.putIfAbsent(entry.getFullUrl(), i);
            if (earlier != null) {
                throw FhirException.of(400, ErrorCode.INVALID_BUNDLE, IssueType.INVALID,
                        "Bundle.entry[" + i + "] has the fullUrl " + entry.getFullUrl() + ", as Bundle.entry["
                                + earlier + "] does; each entry's fullUrl must be unique",
                        "Bundle.entry[" + i + "].fullUrl");
            }
        }
    }

    private static Bundle response(BundleType type, List<EntryOutcome> outcomes, String baseUrl) {
        Bundle response = new Bundle().setType(type);
        for (EntryOutcome outcome : outcomes) {
            response.addEntry(outcome.toEntry(baseUrl));
        }
        return response;
    }
}
