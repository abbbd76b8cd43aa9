package org.charnwood.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import org.charnwood.fhir.search.AccessFilter;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.SearchEngine;
import org.charnwood.fhir.search.SearchIndexWriter;
import org.charnwood.fhir.store.ResourceStore;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges versions other than the current one against an access scope on their own content: whose record they were
 * filed in, which security labels they carried, which category they had. The store indexes current versions only,
 * so a version is judged by indexing it in the place of the current one inside a transaction that is always rolled
 * back, and asking the scope's own SQL condition of that row: the answer is exactly what a search would give were
 * that version current, with no second implementation of the policy to drift from the first. The resource row is
 * locked first ({@code for no key update}), in the order and as strongly as writers of the resource lock it, so a
 * concurrent write of it waits for the judgement rather than deadlocking, while writers that only refer to it
 * (holding {@code for key share}) are not held up.
 *
 * <p>Most versions of a record differ from the current one only in clinical words. A version that refers to the
 * same resources and carries the same labels as the current one, of a type the scope does not restrict by search,
 * is in the same compartments and hidden by the same labels, so it shares the current version's visibility and
 * needs no judgement in the database.
 */
final class VersionVisibility {

    private final ResourceStore store;
    private final SearchIndexWriter indexes;
    private final SearchEngine search;

    VersionVisibility(ResourceStore store, SearchIndexWriter indexes, SearchEngine search) {
        this.store = store;
        this.indexes = indexes;
        this.search = search;
    }

    /**
     * The versions, in their order, that the scope lets the caller see on their own content. Each version's resource
     * must already be known visible in its current version (the caller's own test): the current version itself, and
     * deletions (which carry no content), are kept as they are.
     */
    List<StoredResource> seen(Connection c, List<StoredResource> versions, AccessScope scope) throws SQLException {
        return seen(c, versions, scope, Set.of());
    }

    /**
     * {@link #seen(Connection, List, AccessScope)} for versions some of whose resources ({@code notInScopeNow}, by
     * key) the caller has not found in the scope by their current version (a bulk export's selection of the record
     * as it was): those are judged on their own content alone, not taken to share the current version's answer when
     * they share its access facts.
     */
    List<StoredResource> seen(Connection c, List<StoredResource> versions, AccessScope scope, Set<Long> notInScopeNow)
            throws SQLException {
        if (scope == null || scope.unrestricted() || versions.isEmpty()) {
            return versions;
        }
        Set<Long> keys = new java.util.HashSet<>();
        for (StoredResource v : versions) {
            keys.add(v.pk());
        }
        Map<Long, StoredResource> current = new HashMap<>();
        for (StoredResource r : store.currentByKeys(c, keys)) {
            current.put(r.pk(), r);
        }
        // Each current version parsed once however many of its versions are judged against it; null when unreadable.
        Map<Long, Resource> currentContent = new HashMap<>();
        List<StoredResource> out = new ArrayList<>(versions.size());
        for (StoredResource v : versions) {
            StoredResource now = current.get(v.pk());
            if (notInScopeNow.contains(v.pk()) ? !v.deleted() && visibleOnItsOwn(c, v, scope)
                    : v.deleted() || (now != null && now.version() == v.version())
                    || visible(c, v, now, currentContent, scope)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Whether the scope lets the caller see this version (not the current one) on its own content. */
    private boolean visible(Connection c, StoredResource version, StoredResource current,
                            Map<Long, Resource> currentContent, AccessScope scope) throws SQLException {
        Resource content;
        try {
            content = parsed(version);
        } catch (DataFormatException unreadable) {
            return false;
        }
        if (current != null && !current.deleted() && !scope.typeFilters().containsKey(version.type())
                && sameAccessFacts(content,
                        currentContent.computeIfAbsent(current.pk(), pk -> parsedOrNull(current)))) {
            return true;
        }
        return judged(c, version.pk(), content, search.accessFilter().fragment(scope, "r"));
    }

    /** Whether the scope lets the caller see this version on its content alone, whatever the current one holds. */
    private boolean visibleOnItsOwn(Connection c, StoredResource version, AccessScope scope) throws SQLException {
        try {
            return judged(c, version.pk(), parsed(version), search.accessFilter().fragment(scope, "r"));
        } catch (DataFormatException unreadable) {
            return false;
        }
    }

    private boolean judged(Connection c, long pk, Resource content, AccessFilter.Fragment fragment)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        Savepoint before = null;
        if (autoCommit) {
            c.setAutoCommit(false);
        } else {
            before = c.setSavepoint();
        }
        try {
            // The judgement rewrites the resource's index rows, as a write of the resource does, so it must not
            // interleave with one (or with another judgement of it): each would then delete rows the other is
            // writing, and could deadlock. Writers of the resource take its row first, for no key update, and so
            // does this; a writer that only refers to the resource takes for key share, which this does not
            // conflict with, so reading history never holds up writes about the record. (for share would let two
            // judgements of the same resource interleave; for update would wait for every referring writer.)
            try (PreparedStatement lock = c.prepareStatement(
                    "select 1 from fhir_resource where res_pk = ? for no key update")) {
                lock.setLong(1, pk);
                lock.executeQuery().close();
            }
            indexes.write(c, List.of(new SearchIndexWriter.Indexable(pk, false, content, List.of())));
            return store.satisfies(c, pk, fragment);
        } finally {
            if (before == null) {
                c.rollback();
                c.setAutoCommit(true);
            } else {
                c.rollback(before);
            }
        }
    }

    private static Resource parsed(StoredResource version) {
        Resource resource = (Resource) FhirContexts.r4().newJsonParser().parseResource(version.json());
        resource.setId(version.id());
        return resource;
    }

    private static Resource parsedOrNull(StoredResource current) {
        try {
            return parsed(current);
        } catch (DataFormatException unreadable) {
            return null;
        }
    }

    /** Whether two versions refer to the same resources and carry the same security labels. */
    private static boolean sameAccessFacts(Resource a, Resource b) {
        return b != null && references(a).equals(references(b)) && labels(a).equals(labels(b));
    }

    private static Set<String> references(Resource resource) {
        Collection<Reference> refs = FhirContexts.r4().newTerser()
                .getAllPopulatedChildElementsOfType(resource, Reference.class);
        Set<String> out = new TreeSet<>();
        for (Reference ref : refs) {
            out.add(ref.getReference() + "|" + ref.getType() + "|"
                    + (ref.hasIdentifier() ? ref.getIdentifier().getSystem() + "|" + ref.getIdentifier().getValue()
                    : ""));
        }
        return out;
    }

    private static Set<String> labels(Resource resource) {
        Set<String> out = new TreeSet<>();
        for (Coding label : resource.getMeta().getSecurity()) {
            out.add(label.getSystem() + "|" + label.getCode());
        }
        return out;
    }
}
