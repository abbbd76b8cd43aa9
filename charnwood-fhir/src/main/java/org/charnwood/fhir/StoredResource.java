package org.charnwood.fhir;

import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;

/** One version of a resource as stored: its JSON text and the metadata the store keeps beside it. */
public record StoredResource(long pk, String type, String id, int version, Instant lastUpdated,
                             ChangeMethod method, String json) {

    public boolean deleted() {
        return method == ChangeMethod.DELETE;
    }

    /** The stored JSON as an R4 model object, its id the plain logical id. */
    public <T extends Resource> T parse(Class<T> type) {
        T resource = FhirContexts.r4().newJsonParser().parseResource(type, json);
        resource.setId(id);
        return resource;
    }

    public String versionedReference() {
        return type + "/" + id + "/_history/" + version;
    }
}
