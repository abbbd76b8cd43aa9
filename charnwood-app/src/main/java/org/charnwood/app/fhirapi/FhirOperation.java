package org.charnwood.app.fhirapi;

import org.charnwood.app.security.Requester;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.Resource;

/**
 * An operation ({@code $name}) that another capability serves through the FHIR endpoint, so that it is routed,
 * audited, timed and answered (formats, OperationOutcome on failure) exactly like the built-in interactions.
 * Implementations are Spring beans; the first that {@link #serves} a request gets it. Each publishes its
 * OperationDefinition, which the CapabilityStatement names and the repository serves, so clients can discover it.
 */
public interface FhirOperation extends PublishedOperation {

    /**
     * Whether this serves the request.
     *
     * @param method    the HTTP method
     * @param type      the resource type in the path, or null for a server-level operation
     * @param instance  whether the path names an instance ({@code Type/id/$name})
     * @param name      the operation name without the {@code $}
     */
    boolean serves(String method, String type, boolean instance, String name);

    /**
     * What the operation is: its canonical url, code, the resource types and levels it is invoked at, and its
     * parameters. Read once at start-up.
     */
    @Override
    OperationDefinition definition();

    /** Performs the operation; refusals are {@link org.charnwood.fhir.FhirException}s. */
    Result invoke(Request request);

    /**
     * One call of the operation.
     *
     * @param requester who is asking
     * @param type      the resource type in the path, or null
     * @param id        the instance id in the path, or null
     * @param body      the request body, parsed strictly; null when there is none
     * @param baseUrl   this server's FHIR base URL
     */
    record Request(Requester requester, String type, String id, Resource body, String baseUrl) {
    }

    /**
     * What the operation answers.
     *
     * @param status   the HTTP status
     * @param resource the response body
     * @param location the {@code Location} of something it created (relative to the base URL), or null
     */
    record Result(int status, Resource resource, String location) {
    }
}
