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
}
