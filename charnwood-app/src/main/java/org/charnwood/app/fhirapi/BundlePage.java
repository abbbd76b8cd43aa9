package org.charnwood.app.fhirapi;

import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.util.List;

/**
 * A searchset or history bundle before it is rendered. Entries hold stored JSON where possible so
 * that a plain JSON response can be written without parsing a single resource.
 *
 * @param lastUpdated the bundle's {@code meta.lastUpdated}: for history, the instant up to which it is complete;
 *                    null for the time it is rendered
 */
record BundlePage(String type, Integer total, List<Link> links, List<Entry> entries, Instant lastUpdated) {

    BundlePage(String type, Integer total, List<Link> links, List<Entry> entries) {
        this(type, total, links, entries, null);
    }

    record Link(String relation, String url) {
    }

    /**
     * One entry. Exactly one of {@code stored} and {@code resource} is set, or neither for a
     * history entry of a deletion.
     */
    record Entry(String fullUrl, StoredResource stored, Resource resource, String searchMode,
                 String requestMethod, String requestUrl, String responseStatus) {
    }
}
