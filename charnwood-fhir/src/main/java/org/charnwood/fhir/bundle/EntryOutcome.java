package org.charnwood.fhir.bundle;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.WriteResult;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryResponseComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

/** The response to one entry: its {@code response} element and the resource it returns, if any. */
record EntryOutcome(BundleEntryResponseComponent response, Resource resource) {

    /**
     * The response entry. One that returns a resource names it by its absolute URL under {@code baseUrl} (null: no
     * fullUrl), so a client can tell which resource each entry holds, as it can in a searchset. A search's
     * searchset has no URL of its own and gets none.
     */
    BundleEntryComponent toEntry(String baseUrl) {
        BundleEntryComponent entry = new BundleEntryComponent().setResponse(response);
        if (resource != null) {
            entry.setResource(resource);
            if (baseUrl != null && !(resource instanceof Bundle) && resource.getIdElement().hasIdPart()) {
                entry.setFullUrl(baseUrl + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart());
            }
        }
        return entry;
    }

    /** The same outcome under another status: a repeated conditional create answers 200, not 201. */
    EntryOutcome withStatus(int status) {
        BundleEntryResponseComponent copy = response.copy().setStatus(statusLine(status));
        return new EntryOutcome(copy, resource);
    }

    /** A create, update, patch or a conditional create that found its match. */
    static EntryOutcome written(WriteResult result, Supplier<Resource> stored, ReturnPreference preference) {
        BundleEntryResponseComponent response = new BundleEntryResponseComponent()
                .setStatus(statusLine(result.kind().status()))
                .setLocation(result.location())
                .setEtag(etag(result.version()))
                .setLastModified(Date.from(result.lastUpdated()));
        Resource resource = null;
        switch (preference) {
            case REPRESENTATION -> resource = stored.get();
            case OPERATION_OUTCOME -> response.setOutcome(information(describe(result)));
            case MINIMAL -> {
            }
        }
        return new EntryOutcome(response, resource);
    }

    /** A delete (a conditional delete may have removed several resources, or none). */
    static EntryOutcome deleted(List<WriteResult> results, ReturnPreference preference) {
        BundleEntryResponseComponent response = new BundleEntryResponseComponent().setStatus(statusLine(204));
        if (results.size() == 1 && results.get(0).kind() == WriteResult.Kind.DELETED) {
            response.setEtag(etag(results.get(0).version()));
        }
        if (preference == ReturnPreference.OPERATION_OUTCOME) {
            long count = results.stream().filter(r -> r.kind() == WriteResult.Kind.DELETED).count();
            response.setOutcome(information(count == 1 ? "Deleted " + results.get(0).type() + "/"
                    + results.get(0).id() : "Deleted " + count + " resources"));
        }
        return new EntryOutcome(response, null);
    }

    /**
     * A read or search. A read answers 304 with no body when the client's copy is current
     * (If-None-Match / If-Modified-Since); HEAD never carries the body.
     */
    static EntryOutcome read(Resource resource, EntryRequest request) {
        BundleEntryResponseComponent response = new BundleEntryResponseComponent().setStatus(statusLine(200));
        boolean instance = !(resource instanceof Bundle);
        boolean notModified = false;
        if (instance && resource.getMeta().hasVersionId()) {
            String versionId = resource.getMeta().getVersionId();
            response.setEtag("W/\"" + versionId + "\"");
            if (request.ifNoneMatch() != null && versionId.equals(request.ifNoneMatch().toString())) {
                notModified = true;
            }
        }
        if (instance && resource.getMeta().hasLastUpdated()) {
            Date lastUpdated = resource.getMeta().getLastUpdated();
            response.setLastModified(lastUpdated);
            Instant since = request.ifModifiedSince();
            // HTTP dates carry whole seconds only, so compare at that precision.
            if (since != null && !lastUpdated.toInstant().truncatedTo(ChronoUnit.SECONDS).isAfter(since)) {
                notModified = true;
            }
        }
        if (notModified) {
            return new EntryOutcome(response.setStatus(statusLine(304)), null);
        }
        return new EntryOutcome(response, request.method() == HTTPVerb.HEAD ? null : resource);
    }

    /** A failed entry of a batch: its status and the OperationOutcome saying why. */
    static EntryOutcome failed(FhirException failure) {
        BundleEntryResponseComponent response = new BundleEntryResponseComponent()
                .setStatus(statusLine(failure.status()));
        response.setOutcome(failure.outcome());
        return new EntryOutcome(response, null);
    }

    static String statusLine(int status) {
        String reason = switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 412 -> "Precondition Failed";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> null;
        };
        return reason == null ? Integer.toString(status) : status + " " + reason;
    }

    private static String etag(int version) {
        return "W/\"" + version + "\"";
    }

    private static String describe(WriteResult result) {
        String what = result.type() + "/" + result.id() + " (version " + result.version() + ")";
        return switch (result.kind()) {
            case CREATED -> "Created " + what;
            case UPDATED -> "Updated " + what;
            case ALREADY_EXISTS -> "Found existing " + what + "; nothing was created";
            case DELETED, NOTHING_TO_DELETE -> "Deleted " + what;
        };
    }

    private static OperationOutcome information(String message) {
        return FhirException.outcome(IssueSeverity.INFORMATION, null, IssueType.INFORMATIONAL, message, null);
    }
}
