package org.charnwood.fhir.bundle;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryRequestComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry's request, checked and taken apart: which interaction on which target, with its
 * conditions. The forms accepted are those a transaction or batch may hold: {@code Type} (create,
 * search), {@code Type?criteria} (conditional update/patch/delete, search), {@code Type/id},
 * {@code Type/id/_history/vid} (vread) and {@code ?criteria} (search across types).
 *
 * @param index      the entry's position in the request bundle, from 0
 * @param type       the resource type in the URL; null only for a search across all types
 * @param id         the resource id in the URL, or null
 * @param version    the version in a vread URL, or null
 * @param query      the criteria after '?', or null when there are none
 * @param fullUrl    the entry's fullUrl, or null
 * @param resource   the entry's resource, or null
 * @param ifNoneExist the criteria of a conditional create, or null
 * @param ifMatch    the version from {@code request.ifMatch}, or null
 * @param ifNoneMatch the version from {@code request.ifNoneMatch}, or null
 * @param ifModifiedSince from {@code request.ifModifiedSince}, or null
 */
record EntryRequest(int index, HTTPVerb method, String url, String type, String id, Integer version, String query,
                    String fullUrl, Resource resource, String ifNoneExist, Integer ifMatch, Integer ifNoneMatch,
                    Instant ifModifiedSince) {

    private static final Set<String> RESOURCE_TYPES = Set.copyOf(FhirContexts.r4().getResourceTypes());
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern ETAG = Pattern.compile("(?:W/)?\"(\\d{1,9})\"|(\\d{1,9})");

    /** The FHIRPath of the entry, for OperationOutcome expressions. */
    String expression() {
        return "Bundle.entry[" + index + "]";
    }

    /** For messages: {@code Bundle.entry[3] (PUT Patient/123)}. */
    String label() {
        return expression() + " (" + method.toCode() + " " + url + ")";
    }

    boolean isConditional() {
        return id == null && query != null;
    }

    /**
     * Whether a URL or reference names a server of its own (http://host/...). Search criteria after the '?' may
     * carry a system's URL unencoded (identifier=https://fhir.nhs.uk/Id/nhs-number|...), so only a '://' before
     * the '?' counts.
     */
    static boolean isAbsolute(String url) {
        int question = url.indexOf('?');
        return question < 0 ? url.contains("://") : url.lastIndexOf("://", question) >= 0;
    }

    static boolean isResourceType(String name) {
        return RESOURCE_TYPES.contains(name);
    }

    /** Checks and reads an entry; 400 naming the entry and the element at fault when it is not usable. */
    static EntryRequest parse(int index, BundleEntryComponent entry) {
        String at = "Bundle.entry[" + index + "]";
        if (!entry.hasRequest()) {
            throw bad(at + ".request", at + " has no request: every entry of a transaction or batch needs"
                    + " request.method and request.url");
        }
        BundleEntryRequestComponent request = entry.getRequest();
        HTTPVerb method = request.getMethod();
        if (method == null || method == HTTPVerb.NULL) {
            throw bad(at + ".request.method", at + " has no request.method; it must be GET, HEAD, POST, PUT,"
                    + " DELETE or PATCH");
        }
        String url = request.getUrl();
        if (url == null || url.isBlank()) {
            throw bad(at + ".request.url", at + " has no request.url");
        }
        if (isAbsolute(url)) {
            throw bad(at + ".request.url", at + " has request.url '" + url + "', but it must be relative to the"
                    + " server base, such as Patient/123 or Patient?identifier=system|value");
        }
        String path = url.startsWith("/") ? url.substring(1) : url;
        String query = null;
        int question = path.indexOf('?');
        if (question >= 0) {
            query = path.substring(question + 1);
            path = path.substring(0, question);
            if (query.isBlank()) {
                query = null;
            }
        }
        String type = null;
        String id = null;
        Integer version = null;
        String[] segments = path.isEmpty() ? new String[0] : path.split("/", -1);
        if (segments.length == 0) {
            if (query == null || (method != HTTPVerb.GET && method != HTTPVerb.HEAD)) {
                throw unsupportedUrl(at, url);
            }
        } else {
            type = segments[0];
            if (!isResourceType(type)) {
                throw FhirException.of(400, ErrorCode.UNKNOWN_RESOURCE_TYPE, IssueType.NOTSUPPORTED,
                        at + " has request.url '" + url + "', but '" + type + "' is not an R4 resource type",
                        at + ".request.url");
            }
            if (segments.length == 2 || segments.length == 4) {
                id = segments[1];
                if (!ID.matcher(id).matches()) {
                    throw unsupportedUrl(at, url);
                }
            }
            if (segments.length == 4) {
                if (!"_history".equals(segments[2]) || !segments[3].matches("[1-9][0-9]{0,8}")) {
                    throw unsupportedUrl(at, url);
                }
                version = Integer.valueOf(segments[3]);
            } else if (segments.length != 1 && segments.length != 2) {
                throw unsupportedUrl(at, url);
            }
        }
        Resource resource = entry.getResource();
        String fullUrl = entry.hasFullUrl() ? entry.getFullUrl() : null;
        EntryRequest parsed = new EntryRequest(index, method, url, type, id, version, query, fullUrl, resource,
                blankToNull(request.getIfNoneExist()), etag(at + ".request.ifMatch", request.getIfMatch()),
                etag(at + ".request.ifNoneMatch", request.getIfNoneMatch()),
                request.hasIfModifiedSince() ? request.getIfModifiedSince().toInstant() : null);
        parsed.checkMethodFitsUrl();
        return parsed;
    }

    private void checkMethodFitsUrl() {
        String at = expression();
        switch (method) {
            case GET, HEAD -> {
                // Every URL form can be read.
            }
            case POST -> {
                if (id != null || query != null) {
                    throw bad(at + ".request.url", label() + ": a POST creates a resource, so its URL is just the"
                            + " resource type (use request.ifNoneExist for a conditional create)");
                }
                requireResource(at);
            }
            case PUT -> {
                requireInstanceOrCriteria(at, "PUT");
                requireResource(at);
            }
            case DELETE -> requireInstanceOrCriteria(at, "DELETE");
            case PATCH -> {
                requireInstanceOrCriteria(at, "PATCH");
                if (resource == null) {
                    throw bad(at + ".resource", label() + " has no resource: a PATCH entry carries its patch as a"
                            + " Binary with contentType application/json-patch+json");
                }
            }
            default -> throw bad(at + ".request.method", label() + ": " + method.toCode() + " is not supported");
        }
    }

    private void requireInstanceOrCriteria(String at, String verb) {
        if (version != null || (id == null && query == null)) {
            throw bad(at + ".request.url", label() + ": a " + verb + " needs the URL of one resource (Type/id)"
                    + " or search criteria (Type?criteria)");
        }
    }

    private void requireResource(String at) {
        if (resource == null) {
            throw bad(at + ".resource", label() + " has no resource");
        }
        if (!resource.fhirType().equals(type)) {
            throw FhirException.of(400, ErrorCode.TYPE_MISMATCH, IssueType.INVALID,
                    label() + " carries a " + resource.fhirType() + ", not a " + type, at + ".resource");
        }
    }

    private static Integer etag(String at, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = ETAG.matcher(value.trim());
        if (!m.matches()) {
            throw bad(at, at + " is '" + value + "', which is not a version ETag such as W/\"3\"");
        }
        return Integer.valueOf(m.group(1) != null ? m.group(1) : m.group(2));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static FhirException unsupportedUrl(String at, String url) {
        return bad(at + ".request.url", at + " has request.url '" + url + "', which is not a form a bundle entry"
                + " can use: Type, Type/id, Type/id/_history/version or Type?criteria (operations, history and"
                + " _search are not supported in bundles)");
    }

    private static FhirException bad(String expression, String message) {
        return FhirException.of(400, ErrorCode.INVALID_BUNDLE, IssueType.INVALID, message, expression);
    }
}
