package org.charnwood.app.fhirapi;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessDecision;
import org.charnwood.app.audit.AuditScope;
import org.charnwood.app.security.OtherPatientsLeftOut;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.ResourceParser;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One FHIR HTTP request, read once: route, query parameters, headers, body and response format. */
final class FhirCall {

    private static final ResourceParser PARSER = new ResourceParser();

    private final HttpServletRequest request;
    private final FhirRoute route;
    private final ResponseFormat responseFormat;
    private final String baseUrl;
    private final long maxBodyBytes;
    private final Requester requester;
    private final AuditScope audit;
    private final OtherPatientsLeftOut othersLeftOut;
    private String body;

    FhirCall(HttpServletRequest request, FhirRoute route, String baseUrl, long maxBodyBytes, Requester requester,
             AuditScope audit, OtherPatientsLeftOut othersLeftOut) {
        this.audit = audit;
        this.othersLeftOut = othersLeftOut;
        this.request = request;
        this.route = route;
        this.baseUrl = baseUrl;
        this.maxBodyBytes = maxBodyBytes;
        this.requester = requester;
        requireDecodableParameters(request);
        // Negotiated before anything is done, so that a format the server cannot send is refused before a write.
        this.responseFormat = ResponseFormat.of(request, BulkExportOperation.answersWithFile(route));
    }

    HttpServletRequest servletRequest() {
        return request;
    }

    /** Who is asking, from verified credentials. */
    Requester requester() {
        return requester;
    }

    /** Keeps the access decision on the request (for the audit trail) and returns it. */
    AccessDecision allowed(AccessDecision decision) {
        AccessDecision.record(request, decision);
        return decision;
    }

    /**
     * What the caller is to be shown of a resource read under {@code decision}: for a patient or carer, without the
     * other patients it lists ({@link OtherPatientsLeftOut}). Every interaction passes what the repository gave it
     * through here before telling the audit trail and rendering it, so both see only what the caller is shown.
     */
    StoredResource shown(AccessDecision decision, StoredResource resource) {
        return othersLeftOut.shownTo(decision, resource);
    }

    /**
     * Whether a search of {@code types} asks, by a participant, member or recipient, for someone the caller is not
     * shown there ({@link OtherPatientsLeftOut#asksForOthers}).
     */
    boolean asksForOthers(AccessDecision decision, java.util.Set<String> types,
                          Map<String, List<String>> params) {
        return othersLeftOut.asksForOthers(decision, types, params);
    }

    /** Each resource as {@link #shown(AccessDecision, StoredResource)} shows it. */
    java.util.List<StoredResource> shown(AccessDecision decision, java.util.List<StoredResource> resources) {
        return othersLeftOut.shownTo(decision, resources);
    }

    /** The audit record of this request: interactions tell it what they returned. */
    AuditScope audit() {
        return audit;
    }

    FhirRoute route() {
        return route;
    }

    String method() {
        return request.getMethod().toUpperCase(Locale.ROOT);
    }

    ResponseFormat format() {
        return responseFormat;
    }

    /** Base URL of the FHIR endpoint, e.g. {@code http://localhost:8080/fhir}. */
    String baseUrl() {
        return baseUrl;
    }

    String header(String name) {
        return request.getHeader(name);
    }

    /** Every value of a header that may be sent more than once, joined by commas as one header would hold them. */
    String headers(String name) {
        java.util.Enumeration<String> values = request.getHeaders(name);
        return values == null || !values.hasMoreElements() ? null
                : String.join(", ", java.util.Collections.list(values));
    }

    String queryString() {
        return request.getQueryString();
    }

    /**
     * Query parameters in request order, URL-decoded; for POST _search also the form body, which must be
     * {@code application/x-www-form-urlencoded} (R4 http.html#search): criteria sent any other way would be left
     * unread and the search would answer with every resource, so they are refused with 415. A parameter that is
     * not percent-encoded UTF-8, or holds a NUL character, is refused with 400 naming it.
     */
    Map<String, List<String>> parameters() {
        if ("_search".equals(route.operation()) && method().equals("POST")) {
            requireFormBody();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        request.getParameterMap().forEach((k, v) -> {
            for (String text : v) {
                if (k.indexOf(0) >= 0 || text != null && text.indexOf(0) >= 0) {
                    throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER, "Invalid search parameter '"
                            + k.replace(String.valueOf((char) 0), "%00") + "': it holds a NUL character (%00)");
                }
            }
            params.put(k, new ArrayList<>(List.of(v)));
        });
        return params;
    }

    /**
     * Refuses with 400 a request whose parameters the container cannot decode (a byte sequence that is not UTF-8,
     * such as {@code %C0}), naming the parameter when it is in the URL, rather than failing as a server error.
     */
    private static void requireDecodableParameters(HttpServletRequest request) {
        try {
            request.getParameterMap();
        } catch (IllegalStateException e) {
            QueryStrings.parse(request.getQueryString());
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                    "The parameters of the form body are not percent-encoded UTF-8");
        }
    }

    private void requireFormBody() {
        String contentType = request.getContentType();
        boolean form = contentType != null && contentType.toLowerCase(Locale.ROOT).split(";")[0].trim()
                .equals("application/x-www-form-urlencoded");
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (!form && hasBody) {
            throw FhirException.of(415, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                    "A search by POST takes its parameters in an application/x-www-form-urlencoded body (or in the"
                            + " URL), not " + (contentType == null ? "a body without a Content-Type" : contentType)
                            + ": resend the criteria as a form, or search with GET");
        }
    }

    /** {@code If-Match: W/"3"} as 3; null when absent. */
    Integer ifMatchVersion() {
        String value = header("If-Match");
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        v = v.replace("\"", "");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw FhirException.badRequest(ErrorCode.INVALID_REQUEST,
                    "If-Match must be a version ETag such as W/\"3\", not " + value);
        }
    }

    /** The {@code Prefer} header's {@code return=} value, or {@code representation} by default. */
    String preferReturn() {
        String prefer = header("Prefer");
        if (prefer != null) {
            for (String part : prefer.split("[,;]")) {
                String p = part.trim();
                if (p.startsWith("return=")) {
                    return p.substring("return=".length()).replace("\"", "");
                }
            }
        }
        return "representation";
    }

    boolean lenient() {
        String prefer = header("Prefer");
        return prefer != null && prefer.replace(" ", "").contains("handling=lenient");
    }

    /** The request body as text, refusing bodies over the configured size with 413. */
    String body() {
        if (body == null) {
            body = readBody();
        }
        return body;
    }

    /** The body as text if the interaction has read it, else null (never reads it). */
    String bodyIfRead() {
        return body;
    }

    /** The body parsed strictly as a resource in the format its Content-Type declares. */
    Resource bodyResource() {
        return PARSER.parse(body(), bodyFormat());
    }

    /** The body parsed as a transaction or batch, a batch's unreadable entries set aside (ResourceParser). */
    ResourceParser.BundleBody bodyBundle() {
        return PARSER.parseBundle(body(), bodyFormat());
    }

    FhirFormat bodyFormat() {
        String contentType = request.getContentType();
        if (contentType == null) {
            String b = body().stripLeading();
            return b.startsWith("<") ? FhirFormat.XML : FhirFormat.JSON;
        }
        FhirFormat format = FhirFormat.fromMimeOrName(contentType);
        if (format == null) {
            throw FhirException.of(415, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                    "Content-Type " + contentType + " is not supported: send application/fhir+json or application/fhir+xml"
                            + " of FHIR R4 (fhirVersion=4.0, or no fhirVersion)");
        }
        return format;
    }

    private String readBody() {
        requireUtf8(request);
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buffer = new byte[16384];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > maxBodyBytes) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
            return utf8(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refuses with 415 a body whose Content-Type names a charset other than UTF-8 ({@code charset=ISO-8859-1}): R4
     * http.html has every body be UTF-8, and reading such a body as UTF-8 anyway would store other text than its
     * sender meant wherever its bytes happen to be UTF-8 too ({@code é} sent as Latin-1 {@code Ã©} would become
     * {@code é}). No charset at all is read as UTF-8.
     */
    static void requireUtf8(HttpServletRequest request) {
        // The header as sent: the servlet's character encoding has been set to UTF-8 by then, whatever was declared.
        String contentType = request.getHeader("Content-Type");
        String charset = null;
        if (contentType != null) {
            for (String parameter : contentType.split(";")) {
                int equals = parameter.indexOf('=');
                if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                    charset = parameter.substring(equals + 1).trim().replace("\"", "");
                }
            }
        }
        if (charset == null) {
            return;
        }
        boolean utf8;
        try {
            utf8 = java.nio.charset.Charset.forName(charset).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException unknown) {
            utf8 = false;
        }
        if (!utf8) {
            throw FhirException.of(415, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED, "The body's charset "
                    + charset + " is not supported: FHIR bodies are UTF-8, so send it as UTF-8 (charset=utf-8)");
        }
    }

    /**
     * The body decoded as UTF-8, which R4 has every body be. Bytes that are not UTF-8 (Latin-1 text, say, whatever
     * its XML declaration names) are refused with 400 rather than stored as replacement characters in place of what
     * was sent: a name would otherwise come back changed.
     */
    private static String utf8(byte[] bytes) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (result.isError()) {
            throw FhirException.badRequest(ErrorCode.MALFORMED_BODY, "The request body is not UTF-8 (byte "
                    + in.position() + " starts no UTF-8 character): FHIR bodies are UTF-8, whatever else an XML"
                    + " declaration names");
        }
        return out.flip().toString();
    }

    private FhirException tooLarge() {
        return FhirException.of(413, ErrorCode.PAYLOAD_TOO_LARGE, IssueType.TOOLONG,
                "The request body is larger than the " + maxBodyBytes + " bytes this server accepts");
    }
}
