package org.charnwood.fhir;

import java.time.Instant;

/** One version of a resource as stored: its JSON text and the metadata the store keeps beside it. */
public record StoredResource(long pk, String type, String id, int version, Instant lastUpdated,
                             ChangeMethod method, String json) {

    public boolean deleted() {
        return method == ChangeMethod.DELETE;
    }

    public String versionedReference() {
        return type + "/" + id + "/_history/" + version;
    }
}
