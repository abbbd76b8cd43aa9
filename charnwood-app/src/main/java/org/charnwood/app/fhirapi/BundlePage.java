package org.charnwood.app.fhirapi;

import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/**
 * A searchset or history bundle before it is rendered. Entries hold stored JSON where possible so
 * that a plain JSON response can be written without parsing a single resource.
 */
record BundlePage(String type, Integer total, List<Link> links, List<Entry> entries) {

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
