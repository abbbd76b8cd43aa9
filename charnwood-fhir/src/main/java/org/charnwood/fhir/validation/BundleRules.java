package org.charnwood.fhir.validation;

import org.charnwood.fhir.ErrorCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the entries of a stored bundle (document, message, collection) fit together: absolute and
 * consistent fullUrls, references that resolve inside the bundle by the R4 resolution rules,
 * referenced entries of the right type, and document entries reachable from the Composition.
 * A document is stored as one signed-off whole, so a reference in it that leads nowhere is a
 * broken document, not a dangling pointer to fix later.
 */
final class BundleRules {
    private static final Set<String> PAGING_RELATIONS = Set.of("first", "previous", "prev", "next", "last");

    private BundleRules() {
    }

    /** A literal reference found in an entry's resource, with the FHIRPath of the element holding it. */
    record FoundReference(String reference, String path) {
    }

    /** Each navigation link (self, and for paged bundles first, previous, next, last) only once. */
    private static void checkLinksUnique(Bundle bundle, Findings findings, String path) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < bundle.getLink().size(); i++) {
            String relation = bundle.getLink().get(i).getRelation();
            if (relation != null && ("self".equals(relation) || PAGING_RELATIONS.contains(relation))
                    && !seen.add(relation)) {
                findings.error(ErrorCode.INVALID_BUNDLE, IssueType.INVALID, "The link relationship type '" + relation
                        + "' can only occur once", path + ".link[" + i + "]");
            }
        }
    }

    static void check(Bundle bundle, R4Definitions defs, Findings findings, String path,
                      Map<Resource, List<FoundReference>> referencesByResource) {
        BundleType type = bundle.getType();
        checkLinksUnique(bundle, findings, path);
        if (type != BundleType.SEARCHSET && type != BundleType.HISTORY) {
            for (int i = 0; i < bundle.getLink().size(); i++) {
                String relation = bundle.getLink().get(i).getRelation();
                if (relation != null && PAGING_RELATIONS.contains(relation)) {
                    findings.error(ErrorCode.INVALID_BUNDLE, IssueType.INVALID, "The link relationship type '" + relation
                            + "' used in search sets is prohibited in a " + type.toCode() + " bundle",
                            path + ".link[" + i + "].relation");
                }
            }
        }
        List<BundleEntryComponent> entries = bundle.getEntry();
        // A transaction or batch entry's fullUrl only names the entry for references inside the
        // request (the server assigns ids), so it need not agree with the resource's id.
        boolean stored = type == BundleType.DOCUMENT || type == BundleType.MESSAGE || type == BundleType.COLLECTION;
        for (int i = 0; i < entries.size(); i++) {
            checkFullUrl(entries.get(i), defs, findings, path + ".entry[" + i + "]", stored);
        }
        if (!stored) {
            return;
        }
        boolean mustResolve = type != BundleType.COLLECTION;
        Map<BundleEntryComponent, Set<BundleEntryComponent>> links = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            BundleEntryComponent entry = entries.get(i);
            if (!entry.hasResource()) {
                continue;
            }
            Set<BundleEntryComponent> targets = new HashSet<>();
            links.put(entry, targets);
            for (FoundReference ref : referencesByResource.getOrDefault(entry.getResource(), List.of())) {
                BundleEntryComponent target = resolve(ref, entry, entries, defs, findings, mustResolve);
                if (target != null) {
                    targets.add(target);
                }
            }
        }
        if (type == BundleType.DOCUMENT && !entries.isEmpty()) {
            checkReachable(entries, links, findings, path);
        }
    }

    private static void checkFullUrl(BundleEntryComponent entry, R4Definitions defs, Findings findings, String at,
                                     boolean stored) {
        String fullUrl = entry.getFullUrl();
        if (fullUrl == null) {
            return;
        }
        if (!PrimitiveFormats.isAbsoluteUri(fullUrl)) {
            findings.error(ErrorCode.INVALID_BUNDLE, IssueType.INVALID,
                    "The fullUrl must be an absolute URL (not '" + fullUrl + "')", at + ".fullUrl");
            return;
        }
        Resource resource = entry.getResource();
        String restType = restfulType(fullUrl, defs);
        if (!stored || resource == null || restType == null) {
            return;
        }
        String id = resource.getIdElement().getIdPart();
        if (id == null) {
            findings.error(ErrorCode.INVALID_BUNDLE, IssueType.INVALID, "The fullUrl '" + fullUrl
                    + "' looks like a RESTful server URL, but the resource has no id", at + ".fullUrl");
        } else if (!fullUrl.endsWith("/" + resource.fhirType() + "/" + id)) {
            findings.error(ErrorCode.INVALID_BUNDLE, IssueType.INVALID, "The fullUrl '" + fullUrl
                    + "' looks like a RESTful server URL, so it must end with the correct type and id (/"
                    + resource.fhirType() + "/" + id + ")", at + ".fullUrl");
        }
    }

    /** The resource type when the URL has the RESTful form {@code [base]/Type/id}; otherwise null. */
    private static String restfulType(String url, R4Definitions defs) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            return null;
        }
        String[] parts = url.split("/");
        return parts.length >= 5 && defs.isResourceType(parts[parts.length - 2]) ? parts[parts.length - 2] : null;
    }

    private static BundleEntryComponent resolve(FoundReference found, BundleEntryComponent source,
                                                List<BundleEntryComponent> entries, R4Definitions defs,
                                                Findings findings, boolean mustResolve) {
        String ref = found.reference();
        String version = null;
        int history = ref.indexOf("/_history/");
        String unversioned = ref;
        if (history > 0) {
            version = ref.substring(history + "/_history/".length());
            unversioned = ref.substring(0, history);
        }
        String absolute = absolute(unversioned, source, defs);
        List<BundleEntryComponent> matches = new ArrayList<>();
        if (absolute != null) {
            for (BundleEntryComponent entry : entries) {
                if (absolute.equals(entry.getFullUrl()) && (version == null || version.equals(versionOf(entry)))) {
                    matches.add(entry);
                }
            }
        }
        String impliedType = ReferenceTarget.impliedType(unversioned, defs);
        if (matches.size() > 1) {
            findings.error(ErrorCode.INVALID_BUNDLE, IssueType.INVALID, "Multiple matches in bundle for reference "
                    + ref + ": add the version to say which one is meant", found.path());
            return null;
        }
        if (matches.size() == 1) {
            BundleEntryComponent target = matches.get(0);
            checkTargetType(ref, impliedType, target, findings, found.path());
            return target;
        }
        if (mustResolve && (!PrimitiveFormats.isAbsoluteUri(ref) || ref.startsWith("urn:"))) {
            findings.error(ErrorCode.INVALID_BUNDLE, IssueType.NOTFOUND, "Can't find '" + ref + "' in the bundle"
                    + (absolute == null ? " (relative references from an entry whose fullUrl is not a RESTful URL "
                    + "do not resolve inside the bundle)" : ""), found.path());
            return null;
        }
        // A collection has no rule that references resolve inside it; still, when exactly one entry
        // carries the referenced id, a wrong resource type there is a mistake worth refusing.
        BundleEntryComponent byId = uniqueEntryWithId(unversioned, entries);
        if (byId != null) {
            checkTargetType(ref, impliedType, byId, findings, found.path());
        }
        return byId;
    }

    private static void checkTargetType(String ref, String impliedType, BundleEntryComponent target,
                                        Findings findings, String at) {
        if (impliedType != null && target.getResource() != null
                && !impliedType.equals(target.getResource().fhirType())) {
            findings.error(ErrorCode.INVALID_BUNDLE, IssueType.INVALID, "Matching reference for reference " + ref
                    + " has resourceType " + target.getResource().fhirType(), at);
        }
    }

    private static BundleEntryComponent uniqueEntryWithId(String ref, List<BundleEntryComponent> entries) {
        String id = ref.substring(ref.lastIndexOf('/') + 1);
        if (id.isEmpty()) {
            return null;
        }
        BundleEntryComponent found = null;
        for (BundleEntryComponent entry : entries) {
            String fullUrl = entry.getFullUrl();
            if (fullUrl != null && (fullUrl.endsWith("/" + id) || fullUrl.endsWith(":" + id))) {
                if (found != null) {
                    return null;
                }
                found = entry;
            }
        }
        return found;
    }

    /** The absolute URL a reference means inside the bundle, by the R4 resolution rules; null when it has none. */
    private static String absolute(String ref, BundleEntryComponent source, R4Definitions defs) {
        if (PrimitiveFormats.isAbsoluteUri(ref)) {
            return ref;
        }
        String sourceUrl = source.getFullUrl();
        if (sourceUrl == null || restfulType(sourceUrl, defs) == null) {
            return null;
        }
        String[] parts = sourceUrl.split("/");
        String base = sourceUrl.substring(0, sourceUrl.length() - parts[parts.length - 1].length()
                - parts[parts.length - 2].length() - 1);
        return base + ref;
    }

    private static String versionOf(BundleEntryComponent entry) {
        return entry.getResource() == null || !entry.getResource().hasMeta() ? null
                : entry.getResource().getMeta().getVersionId();
    }

    /** Every document entry must be reachable from the Composition by following references either way. */
    private static void checkReachable(List<BundleEntryComponent> entries,
                                       Map<BundleEntryComponent, Set<BundleEntryComponent>> links,
                                       Findings findings, String path) {
        Map<BundleEntryComponent, Set<BundleEntryComponent>> backward = new HashMap<>();
        links.forEach((from, targets) -> targets.forEach(
                to -> backward.computeIfAbsent(to, k -> new HashSet<>()).add(from)));
        Set<BundleEntryComponent> reached = new HashSet<>();
        Deque<BundleEntryComponent> todo = new ArrayDeque<>();
        todo.add(entries.get(0));
        while (!todo.isEmpty()) {
            BundleEntryComponent next = todo.poll();
            if (reached.add(next)) {
                todo.addAll(links.getOrDefault(next, Set.of()));
                todo.addAll(backward.getOrDefault(next, Set.of()));
            }
        }
        for (int i = 1; i < entries.size(); i++) {
            BundleEntryComponent entry = entries.get(i);
            if (entry.hasResource() && !reached.contains(entry)) {
                findings.error(ErrorCode.INVALID_BUNDLE, IssueType.INVALID, "Entry '" + entry.getFullUrl()
                        + "' isn't reachable by traversing links (forward or backward) from the Composition",
                        path + ".entry[" + i + "]");
            }
        }
    }
}
