package org.charnwood.fhir.bundle;

import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * How GET and HEAD entries of a bundle are answered. Every call gets the session of the entry's
 * database transaction, so a transaction's reads see its own writes. The REST layer can supply
 * its read path here (with its paging links and access rules); {@link SessionBundleReader} is the
 * plain default.
 *
 * <p>Refusals are {@link org.charnwood.fhir.FhirException}s: 404, 410, 400 for a bad search.
 */
public interface BundleReader {

    /** The current version, with {@code meta.versionId} and {@code meta.lastUpdated} set. */
    Resource read(WriteSession session, String type, String id) throws SQLException;

    /** One version, with {@code meta.versionId} and {@code meta.lastUpdated} set. */
    Resource vread(WriteSession session, String type, String id, int version) throws SQLException;

    /**
     * A searchset bundle for the first page of a search.
     *
     * @param type       the type searched, or null for a search across all types
     * @param parameters the query parameters in request order, URL-decoded
     */
    Bundle search(WriteSession session, String type, Map<String, List<String>> parameters) throws SQLException;
}
