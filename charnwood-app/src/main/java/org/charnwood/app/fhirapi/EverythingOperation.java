package org.charnwood.app.fhirapi;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.compartment.PatientEverything;
import org.charnwood.fhir.search.DateRange;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET Patient/[id]/$everything} with {@code _since}, {@code _type}, {@code start}, {@code end} and paging: the
 * patient's record, and (marked as included) the resources outside it that the record refers to.
 */
@Component
class EverythingOperation {

    private final FhirRepository repository;
    private final PatientEverything finder;
    private final AccessPolicy policy;

    EverythingOperation(FhirRepository repository, SearchParameterRegistry registry, AccessPolicy policy) {
        this.repository = repository;
        this.policy = policy;
        this.finder = new PatientEverything(registry);
    }

    /** What the operation takes (R4 Patient-everything), the formats, and the paging its links carry. */
    private static final Set<String> PARAMETERS = Set.of("_since", "_type", "start", "end", "_count",
            "_getpagesoffset", "_after", "_format", "_pretty", "_summary", "_elements");

    ResponseEntity<byte[]> everything(FhirCall call) {
        refuseUnknownParameters(call);
        String id = call.route().id();
        int count = Math.min(number(call, "_count", 100), repository.settings().maxPageSize());
        int offset = number(call, "_getpagesoffset", 0);
        Long after = position(call);
        Instant since = since(call);
        Set<String> types = types(call);
        var access = call.allowed(policy.everything(call.requester(), id));
        Instant careFrom = careDate(call, "start", true);
        Instant careTo = careDate(call, "end", false);
        FhirRepository.EverythingPage page = repository.everything(finder,
                new PatientEverything.Request(id, since, types, count, offset, careFrom, careTo, after),
                access.scope());
        List<StoredResource> resources = call.shown(access, page.resources());
        List<StoredResource> referenced = call.shown(access, page.referenced());
        call.audit().returned(resources);
        call.audit().returned(referenced);
        List<BundlePage.Entry> entries = new ArrayList<>();
        for (StoredResource r : resources) {
            entries.add(new BundlePage.Entry(call.baseUrl() + "/" + r.type() + "/" + r.id(), r, null, "match",
                    null, null, null));
        }
        for (StoredResource r : referenced) {
            entries.add(new BundlePage.Entry(call.baseUrl() + "/" + r.type() + "/" + r.id(), r, null, "include",
                    null, null, null));
        }
        String query = LinkQuery.of(call.parameters(), "_since", "_type", "start", "end", "_summary", "_elements",
                "_format", "_pretty");
        String prefix = call.baseUrl() + "/Patient/" + id + "/$everything?" + (query.isEmpty() ? "" : query + "&");
        List<BundlePage.Link> links = new ArrayList<>();
        links.add(new BundlePage.Link("self", prefix + "_count=" + count + (after == null ? "" : "&_after=" + after)
                + "&_getpagesoffset=" + offset));
        links.add(new BundlePage.Link("first", prefix + "_count=" + count));
        if (page.hasMore()) {
            // Placed after this page's last resource, not by offset: a resource of this page or an earlier one that
            // is deleted (or leaves the caller's view) before the next page is asked for would otherwise make it skip
            // as many of the record's resources. The patient comes first, so it is never what a page follows.
            long last = 0;
            for (StoredResource r : page.resources()) {
                if (!("Patient".equals(r.type()) && id.equals(r.id()))) {
                    last = r.pk();
                }
            }
            links.add(new BundlePage.Link("next", prefix + "_count=" + count + "&_after=" + last));
        }
        if (offset > 0 && after == null) {
            links.add(new BundlePage.Link("previous",
                    prefix + "_count=" + count + "&_getpagesoffset=" + Math.max(0, offset - count)));
        }
        return FhirResponses.bundle(new BundlePage("searchset", null, links, entries), call.format());
    }

    /**
     * A parameter the operation does not take ({@code _typeFilter}, {@code _lastUpdated}) is refused with 400 rather
     * than ignored, which would answer with more of the record than was asked for; under
     * {@code Prefer: handling=lenient} it is ignored.
     */
    private static void refuseUnknownParameters(FhirCall call) {
        if (call.lenient()) {
            return;
        }
        for (String name : call.parameters().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "'" + name + "' is not a parameter of"
                        + " $everything, which takes _since, _type, start, end and _count");
            }
        }
    }

    /** The {@code _after} of a next link (a resource key, 0 or more), or null; anything else is refused with 400. */
    private static Long position(FhirCall call) {
        List<String> v = call.parameters().get("_after");
        if (v == null) {
            return null;
        }
        if (!v.get(0).matches("[0-9]{1,18}")) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, "_after '" + v.get(0) + "' is not a place in"
                    + " the record; follow the next link of a page as it is given");
        }
        return Long.parseLong(v.get(0));
    }

    private static int number(FhirCall call, String name, int fallback) {
        List<String> v = call.parameters().get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Math.max(0, Integer.parseInt(v.get(0)));
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST, name + " must be a whole number");
        }
    }

    private static Instant since(FhirCall call) {
        List<String> v = call.parameters().get("_since");
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v.get(0)).toInstant();
        } catch (DateTimeParseException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "_since must be an instant such as 2024-05-01T10:00:00Z");
        }
    }

    /**
     * The operation's {@code start} (the beginning of its date, when {@code from}) or {@code end} (the end of its
     * date): a FHIR date such as 2024, 2024-05 or 2024-05-01. Null when not given.
     */
    private static Instant careDate(FhirCall call, String name, boolean from) {
        List<String> v = call.parameters().get(name);
        if (v == null || v.get(0).isBlank()) {
            return null;
        }
        try {
            DateRange range = DateRange.parse(v.get(0));
            return from ? range.lo() : range.hi();
        } catch (IllegalArgumentException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    name + " must be a date such as 2024, 2024-05 or 2024-05-01");
        }
    }

    private static Set<String> types(FhirCall call) {
        List<String> v = call.parameters().get("_type");
        if (v == null) {
            return null;
        }
        Set<String> types = new LinkedHashSet<>();
        for (String value : v) {
            types.addAll(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        for (String t : types) {
            if (!FhirContexts.r4().getResourceTypes().contains(t)) {
                throw FhirException.badRequest(ErrorCode.UNKNOWN_RESOURCE_TYPE, "_type names an unknown type: " + t);
            }
        }
        return types;
    }
}
