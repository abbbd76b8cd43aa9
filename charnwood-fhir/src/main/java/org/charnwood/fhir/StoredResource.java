package org.charnwood.fhir;

import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One version of a resource as stored: its JSON text and the metadata the store keeps beside it.
 *
 * @param request the HTTP method of the request that made the version as stored with it, or null: versions stored
 *                before the store kept it, and versions not read from the store. {@link #requestMethod()} answers
 *                for both.
 */
public record StoredResource(long pk, String type, String id, int version, Instant lastUpdated,
                             ChangeMethod method, String json, HTTPVerb request) {

    /** A server-assigned id ({@link WriteSession#newId()}): a create by POST always has one. */
    private static final Pattern SERVER_ASSIGNED =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** A version whose request method is not known. */
    public StoredResource(long pk, String type, String id, int version, Instant lastUpdated, ChangeMethod method,
                          String json) {
        this(pk, type, id, version, lastUpdated, method, json, null);
    }

    public boolean deleted() {
        return method == ChangeMethod.DELETE;
    }

    /**
     * The HTTP method of the request that made this version, for the request element of a history entry. Where the
     * store did not record it, it is worked out from what is known: a create is by POST unless it could not have
     * been, that is unless it brought a deleted resource back or its id is not one the server assigns, since only
     * an update (PUT) creates at an id the client chose. An update that was in fact a PATCH shows as PUT.
     */
    public HTTPVerb requestMethod() {
        if (request != null) {
            return request;
        }
        return switch (method) {
            case CREATE -> version == 1 && SERVER_ASSIGNED.matcher(id).matches() ? HTTPVerb.POST : HTTPVerb.PUT;
            case UPDATE -> HTTPVerb.PUT;
            case DELETE -> HTTPVerb.DELETE;
        };
    }

    /** The stored JSON as an R4 model object, its id the plain logical id. */
    public <T extends Resource> T parse(Class<T> type) {
        T resource = ExactJson.parse(type, json);
        resource.setId(id);
        return resource;
    }

    public String versionedReference() {
        return type + "/" + id + "/_history/" + version;
    }
}
