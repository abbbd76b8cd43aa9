package org.charnwood.app.fhirapi;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.FhirRepository.SearchPage;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.DateRange;
import org.charnwood.fhir.search.SearchOutcome;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.fhir.store.ResourceStore.HistoryPosition;
import org.charnwood.fhir.store.ResourceStore.HistoryQuery;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** read, vread, search and history. */
@Component
class ReadInteractions {

    /** History's own paging parameter: the settled cut-off the first page fixed, carried by its paging links. */
    static final String CUTOFF = "_cutoff";
    /** The paging parameter of history's next links: the position of the last version of the page before. */
    static final String HISTORY_AFTER = "_after";

    private final FhirRepository repository;
    private final AccessPolicy policy;

    ReadInteractions(FhirRepository repository, AccessPolicy policy) {
        this.repository = repository;
        this.policy = policy;
    }

    ResponseEntity<byte[]> read(FhirCall call) {
        FhirRoute route = call.route();
        var access = call.allowed(policy.read(call.requester(), FhirAction.READ, route.type()));
        StoredResource r = call.shown(access, repository.read(route.type(), route.id(), access.scope()));
        call.audit().returned(r);
        if (notModified(call, r)) {
            return ResponseEntity.status(304).eTag("W/\"" + r.version() + "\"").build();
        }
        return FhirResponses.stored(r, call.format(), 200, new HttpHeaders());
    }

    /**
     * Whether {@code If-None-Match} names the version read, or is {@code *}, which RFC 9110 (13.1.2) has match any
     * current representation: a GET so conditioned gets 304. Lists of tags and {@code If-Modified-Since} are answered
     * from the response's ETag and Last-Modified as it is written.
     */
    private static boolean notModified(FhirCall call, StoredResource r) {
        String ifNoneMatch = call.header("If-None-Match");
        if (ifNoneMatch == null) {
            return false;
        }
        String tag = ifNoneMatch.replace("W/", "").replace("\"", "").trim();
        return tag.equals("*") || tag.equals(Integer.toString(r.version()));
    }

    ResponseEntity<byte[]> vread(FhirCall call) {
        FhirRoute route = call.route();
        int version;
        try {
            version = Integer.parseInt(route.versionId());
        } catch (NumberFormatException e) {
            throw FhirException.of(404, ErrorCode.VERSION_NOT_FOUND, IssueType.NOTFOUND,
                    "'" + route.versionId() + "' is not a version of " + route.type() + "/" + route.id());
        }
        var access = call.allowed(policy.read(call.requester(), FhirAction.VREAD, route.type()));
        StoredResource r = call.shown(access, repository.vread(route.type(), route.id(), version, access.scope()));
        call.audit().returned(r);
        if (notModified(call, r)) {
            return ResponseEntity.status(304).eTag("W/\"" + r.version() + "\"").build();
        }
        return FhirResponses.stored(r, call.format(), 200, new HttpHeaders());
    }

    ResponseEntity<byte[]> search(FhirCall call, String type) {
        Map<String, List<String>> params = call.parameters();
        List<String> leftOut = type == null ? typesRefused(call) : List.of();
        var access = call.allowed(policy.read(call.requester(), FhirAction.SEARCH, type));
        SearchPage page = repository.search(new SearchRequest(type, params, call.lenient()), access.scope());
        SearchOutcome outcome = page.outcome();
        String base = call.baseUrl() + (type == null ? "" : "/" + type);
        // The search's own query keeps _summary and _elements; the format is the REST layer's, so that page 2
        // comes back in the format of page 1.
        String query = LinkQuery.join(outcome.selfQuery(), LinkQuery.of(call.parameters(), "_format", "_pretty"));
        if (call.asksForOthers(access, typesSearched(type, params), params)) {
            // A patient or carer asking by a participant they are not shown (another attendee): nothing they may see
            // matches, as if that person were not there; searched all the same, so bad criteria are refused alike.
            return FhirResponses.bundle(new BundlePage("searchset", 0,
                    List.of(new BundlePage.Link("self", base + "?" + query)), List.of()), call.format());
        }
        List<StoredResource> matches = call.shown(access, page.matches());
        List<StoredResource> included = call.shown(access, page.included());
        call.audit().returned(matches);
        call.audit().returned(included);
        List<BundlePage.Entry> entries = new ArrayList<>();
        for (StoredResource r : matches) {
            entries.add(new BundlePage.Entry(fullUrl(call, r), r, null, "match", null, null, null));
        }
        for (StoredResource r : included) {
            entries.add(new BundlePage.Entry(fullUrl(call, r), r, null, "include", null, null, null));
        }
        if (!outcome.warnings().isEmpty() || outcome.includesCut() || !leftOut.isEmpty()) {
            var oo = new org.hl7.fhir.r4.model.OperationOutcome();
            if (!leftOut.isEmpty()) {
                // Without this an app reads the missing types as "the patient has none".
                oo.addIssue(FhirException.issue(IssueSeverity.WARNING, ErrorCode.ACCESS_DENIED,
                        IssueType.SUPPRESSED, "Left out of this search because you may not read them: "
                                + String.join(", ", leftOut), null));
            }
            for (String w : outcome.warnings()) {
                oo.addIssue(FhirException.issue(IssueSeverity.WARNING, ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                        IssueType.NOTSUPPORTED, w, null));
            }
            if (outcome.includesCut()) {
                // A client building a record from the bundle must know it does not hold everything asked for.
                oo.addIssue(FhirException.issue(IssueSeverity.WARNING, ErrorCode.INCLUDES_INCOMPLETE,
                        IssueType.INCOMPLETE, "Not every resource _include or _revinclude asked for is in this"
                                + " bundle: a page includes at most " + SearchOutcome.MAX_INCLUDED + " resources,"
                                + " following :iterate at most " + SearchOutcome.MAX_INCLUDE_ROUNDS + " times;"
                                + " ask for fewer matches a page (_count) or search for the rest directly", null));
            }
            entries.add(new BundlePage.Entry("urn:uuid:" + java.util.UUID.randomUUID(), null, oo, "outcome",
                    null, null, null));
        }
        List<BundlePage.Link> links = searchLinks(base, query, outcome);
        return FhirResponses.bundle(new BundlePage("searchset", outcome.total(), links, entries), call.format());
    }

    /**
     * The types {@code _type} names that the caller may not search, each refused as a search of that type alone
     * would be. When every type named is refused the search is refused with the first refusal (403), the same
     * answer as the type-level search, rather than an empty bundle that would read as "there are none". Names that
     * are not resource types are left for the search itself to refuse (400).
     */
    private List<String> typesRefused(FhirCall call) {
        List<String> occurrences = call.parameters().get("_type");
        if (occurrences == null) {
            return List.of();
        }
        java.util.Set<String> named = null;
        for (String occurrence : occurrences) {
            java.util.Set<String> these = new java.util.LinkedHashSet<>();
            for (String t : occurrence.split(",")) {
                if (!t.isBlank()) {
                    these.add(t.trim());
                }
            }
            if (these.isEmpty()) {
                continue;
            }
            if (named == null) {
                named = these;
            } else {
                named.retainAll(these);
            }
        }
        if (named == null || named.isEmpty()
                || !org.charnwood.fhir.FhirContexts.r4().getResourceTypes().containsAll(named)) {
            return List.of();
        }
        List<String> refused = new ArrayList<>();
        FhirException first = null;
        for (String t : named) {
            try {
                policy.read(call.requester(), FhirAction.SEARCH, t);
            } catch (FhirException e) {
                if (e.status() != 403) {
                    throw e;
                }
                refused.add(t);
                first = first == null ? e : first;
            }
        }
        if (first != null && refused.size() == named.size()) {
            throw first;
        }
        return refused;
    }

    /** The type searched, or those {@code _type} names for a search across types. */
    private static java.util.Set<String> typesSearched(String type, Map<String, List<String>> params) {
        if (type != null) {
            return java.util.Set.of(type);
        }
        java.util.Set<String> types = new java.util.HashSet<>();
        for (String value : params.getOrDefault("_type", List.of())) {
            for (String t : value.split(",")) {
                types.add(t.trim());
            }
        }
        return types;
    }

    /** What a history takes: R4's own parameters (but _list), the formats, and the paging its links carry. */
    private static final java.util.Set<String> HISTORY_PARAMETERS = java.util.Set.of("_count", "_since", "_at",
            "_format", "_pretty", "_summary", "_elements", "_getpagesoffset", CUTOFF, HISTORY_AFTER);
    private static final java.util.regex.Pattern HISTORY_POSITION =
            java.util.regex.Pattern.compile("(-?[0-9]{1,19})\\.([0-9]{1,19})\\.([0-9]{1,9})");

    ResponseEntity<byte[]> history(FhirCall call) {
        FhirRoute route = call.route();
        Map<String, List<String>> p = call.parameters();
        refuseUnknownHistoryParameters(call, p);
        int count = intParam(p, "_count", repository.settings().defaultPageSize());
        // _count=0 asks for no entries, as it does of a search; there is no total for history to give instead.
        count = Math.min(count, repository.settings().maxPageSize());
        int offset = intParam(p, "_getpagesoffset", 0);
        Instant since = instantParam(p, "_since");
        DateRange at = periodParam(p, "_at");
        var access = call.allowed(policy.read(call.requester(),
                route.id() != null ? FhirAction.HISTORY : FhirAction.SEARCH, route.type()));
        // The answer stops where changes are settled, and says so in Bundle.meta.lastUpdated: a poller asking next
        // with _since = that time gets every version committed after this answer was read, none lost. The first
        // page fixes that cut-off and its paging links carry it (_cutoff), so every page reads the same versions
        // and reports the same instant: a version committed between pages neither shifts the offsets (repeating
        // entries) nor falls before the instant the poller resumes from. A cut-off is never taken later than
        // what is settled now.
        Instant settledNow = repository.settledUpTo();
        Instant cutoff = instantParam(p, CUTOFF);
        Instant settled = cutoff == null || cutoff.isAfter(settledNow) ? settledNow : cutoff;
        HistoryPosition after = historyPosition(p);
        List<StoredResource> versions = count == 0 ? List.of() : repository.history(new HistoryQuery(route.type(),
                route.id(), since, at, count, offset, settled, after), access.scope());
        boolean more = versions.size() > count;
        if (more) {
            versions = versions.subList(0, count);
        }
        versions = call.shown(access, versions);
        List<BundlePage.Entry> entries = new ArrayList<>();
        call.audit().returned(versions);
        for (StoredResource v : versions) {
            String url = v.type() + "/" + v.id();
            String status = switch (v.method()) {
                case CREATE -> "201 Created";
                case UPDATE -> "200 OK";
                case DELETE -> "204 No Content";
            };
            // The request that made the version: a create by POST was sent to the type, every other change
            // (a create-on-update included) to the resource itself.
            HTTPVerb request = v.requestMethod();
            entries.add(new BundlePage.Entry(call.baseUrl() + "/" + url, v.deleted() ? null : v, null, null,
                    request.toCode(), request == HTTPVerb.POST ? v.type() : url, status));
        }
        String self = LinkQuery.join(LinkQuery.of(p, "_since", "_at", "_summary", "_elements", "_format", "_pretty"),
                LinkQuery.of(Map.of(CUTOFF, List.of(settled.toString())), CUTOFF));
        String base = call.baseUrl() + (route.type() == null ? "" : "/" + route.type())
                + (route.id() == null ? "" : "/" + route.id()) + "/_history";
        // The next page is placed by this page's last version rather than by offset: a resource on this page or an
        // earlier one that leaves the caller's view before the next is asked for (deleted, or filed on another
        // patient) takes its versions out of what an offset counts, which would skip as many versions.
        String next = more ? HISTORY_AFTER + "=" + position(versions.getLast()) : null;
        String selfPage = after == null ? null : HISTORY_AFTER + "=" + p.get(HISTORY_AFTER).get(0);
        return FhirResponses.bundle(new BundlePage("history", null,
                historyLinks(base, self, offset, count, selfPage, next), entries, settled), call.format());
    }

    /** A version's place in history, as history's {@code _after} carries it: stamp (µs), resource key, version. */
    private static String position(StoredResource version) {
        Instant t = version.lastUpdated();
        long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
        return micros + "." + version.pk() + "." + version.version();
    }

    /** The {@code _after} of a history page, or null; a value that is not one of ours is refused with 400. */
    private static HistoryPosition historyPosition(Map<String, List<String>> p) {
        List<String> values = p.get(HISTORY_AFTER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        java.util.regex.Matcher m = HISTORY_POSITION.matcher(values.get(0));
        try {
            if (m.matches()) {
                long micros = Long.parseLong(m.group(1));
                return new HistoryPosition(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L), Long.parseLong(m.group(2)),
                        Integer.parseInt(m.group(3)));
            }
        } catch (NumberFormatException | java.time.DateTimeException outOfRange) {
            // Refused below, as any other value that is not a position.
        }
        throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, HISTORY_AFTER + " '" + values.get(0)
                + "' is not a place in history; follow the next link of a history page as it is given");
    }

    /**
     * A history page's links: the next page placed after this page's last version ({@code next}), and while a client
     * pages by offset ({@code _getpagesoffset}, still read), the previous page by offset; a page reached by a next
     * link names itself by the position it followed ({@code selfPage}) and offers no previous page.
     */
    private static List<BundlePage.Link> historyLinks(String base, String selfQuery, int offset, int count,
                                                      String selfPage, String next) {
        List<BundlePage.Link> links = new ArrayList<>();
        String prefix = base + "?" + (selfQuery == null || selfQuery.isEmpty() ? "" : selfQuery + "&");
        String first = prefix + "_count=" + count;
        links.add(new BundlePage.Link("self", first + (selfPage != null ? "&" + selfPage : "")
                + (offset > 0 ? "&_getpagesoffset=" + offset : "")));
        links.add(new BundlePage.Link("first", first));
        if (offset > 0 && selfPage == null) {
            links.add(new BundlePage.Link("previous",
                    first + "&_getpagesoffset=" + Math.max(0, offset - count)));
        }
        if (next != null) {
            links.add(new BundlePage.Link("next", first + "&" + next));
        }
        return links;
    }

    /**
     * A parameter history does not serve is refused (400), as an unknown search parameter is, rather than ignored:
     * ignoring {@code _list} would answer with every version when only those of the list's resources were asked
     * for. Under {@code Prefer: handling=lenient} they are ignored, as a lenient search ignores what it cannot use.
     */
    private static void refuseUnknownHistoryParameters(FhirCall call, Map<String, List<String>> p) {
        if (call.lenient()) {
            return;
        }
        for (String name : p.keySet()) {
            if (name.equals("_list")) {
                throw FhirException.badRequest(ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                        "_list is not supported on history here; ask without it, or for the list's resources one by one");
            }
            if (!HISTORY_PARAMETERS.contains(name)) {
                throw FhirException.badRequest(ErrorCode.UNKNOWN_SEARCH_PARAMETER, "'" + name + "' is not a parameter"
                        + " of history, which takes _count, _since and _at (and _format, _pretty, _summary, _elements)");
            }
        }
    }

    /**
     * A search's links. Its pages are placed by the result they follow or precede (the engine's paging tokens),
     * not by offset, so following next or previous neither skips nor repeats a match when others are created or
     * deleted between pages.
     */
    private static List<BundlePage.Link> searchLinks(String base, String selfQuery, SearchOutcome outcome) {
        List<BundlePage.Link> links = new ArrayList<>();
        String first = base + "?" + (selfQuery == null || selfQuery.isEmpty() ? "" : selfQuery + "&")
                + "_count=" + outcome.count();
        links.add(new BundlePage.Link("self", first + (outcome.page() == null ? "" : "&" + outcome.page())));
        links.add(new BundlePage.Link("first", first));
        if (outcome.hasPrevious()) {
            links.add(new BundlePage.Link("previous",
                    first + (outcome.previous().isEmpty() ? "" : "&" + outcome.previous())));
        }
        if (outcome.next() != null) {
            links.add(new BundlePage.Link("next", first + "&" + outcome.next()));
        }
        return links;
    }

    private static String fullUrl(FhirCall call, StoredResource r) {
        return call.baseUrl() + "/" + r.type() + "/" + r.id();
    }

    /** A paging parameter ({@code _count}, {@code _getpagesoffset}): a whole number of zero or more, else 400. */
    static int intParam(Map<String, List<String>> p, String name, int fallback) {
        List<String> v = p.get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get(0));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                    name + " must be a whole number, not '" + v.get(0) + "'");
        }
    }

    /** A date(Time) naming a period, as {@code _at} takes: {@code 2024}, {@code 2024-02}, a date or a dateTime. */
    private static DateRange periodParam(Map<String, List<String>> p, String name) {
        List<String> v = p.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return DateRange.parse(v.get(0));
        } catch (IllegalArgumentException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, name + ": " + e.getMessage());
        }
    }

    private static Instant instantParam(Map<String, List<String>> p, String name) {
        List<String> v = p.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        String value = v.get(0);
        try {
            if (value.length() == 10) {
                return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                    name + " must be an instant such as 2024-05-01T10:00:00Z, not '" + value + "'");
        }
    }
}
