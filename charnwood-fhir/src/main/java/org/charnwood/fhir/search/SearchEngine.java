package org.charnwood.fhir.search;

import java.sql.Connection;
import java.sql.SQLException;

/** Turns a FHIR search into SQL over the index tables and runs it. */
public interface SearchEngine {

    /**
     * Runs the search on the given connection.
     *
     * @throws org.charnwood.fhir.FhirException 400 for unknown or malformed parameters (unless lenient)
     */
    SearchOutcome search(Connection connection, SearchRequest request) throws SQLException;

    /**
     * Runs the search seeing only what the access scope lets the caller see: matches, totals, paging and
     * includes all leave the rest out.
     */
    default SearchOutcome search(Connection connection, SearchRequest request, AccessScope scope)
            throws SQLException {
        if (scope == null || scope.unrestricted()) {
            return search(connection, request);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot apply an access scope");
    }

    /** Renders access scopes as SQL for the repository's other reads (history, $everything, read). */
    default AccessFilter accessFilter() {
        return AccessFilter.withoutTypeFilters();
    }
}
