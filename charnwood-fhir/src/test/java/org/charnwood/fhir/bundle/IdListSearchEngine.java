package org.charnwood.fhir.bundle;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.search.SearchEngine;
import org.charnwood.fhir.search.SearchIndexWriter;
import org.charnwood.fhir.search.SearchOutcome;
import org.charnwood.fhir.search.SearchRequest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A search engine for these tests: type and {@code _id}, where {@code _id=a,b} matches either,
 * so that conditional requests matching several resources can be exercised before the real
 * engine exists.
 */
final class IdListSearchEngine implements SearchEngine, SearchIndexWriter {

    @Override
    public SearchOutcome search(Connection c, SearchRequest request) throws SQLException {
        int count = 20;
        String[] ids = null;
        for (Map.Entry<String, List<String>> e : request.parameters().entrySet()) {
            switch (e.getKey()) {
                case "_count" -> count = Integer.parseInt(e.getValue().get(0));
                case "_id" -> ids = e.getValue().get(0).split(",");
                case "_total" -> { }
                default -> throw FhirException.badRequest(ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                        "Unknown search parameter " + e.getKey());
            }
        }
        String sql = "select res_pk from fhir_resource where not deleted"
                + (request.resourceType() == null ? "" : " and res_type = ?")
                + (ids == null ? "" : " and res_id = any (?)")
                + " order by res_pk limit ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (request.resourceType() != null) {
                ps.setString(i++, request.resourceType());
            }
            if (ids != null) {
                ps.setArray(i++, c.createArrayOf("text", ids));
            }
            ps.setInt(i, count + 1);
            List<Long> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getLong(1));
                }
            }
            boolean more = keys.size() > count;
            if (more) {
                keys.remove(keys.size() - 1);
            }
            String self = ids == null ? "" : "_id=" + String.join(",", ids);
            return new SearchOutcome(keys, List.of(), null, 0, count, more, List.of(), self);
        }
    }

    @Override
    public void write(Connection connection, List<Indexable> items) {
    }

    @Override
    public void remove(Connection connection, long resourcePk) {
    }
}
