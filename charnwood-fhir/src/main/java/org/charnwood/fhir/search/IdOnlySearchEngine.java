package org.charnwood.fhir.search;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Placeholder engine: type and {@code _id} only, newest first. */
public final class IdOnlySearchEngine implements SearchEngine, SearchIndexWriter {

    @Override
    public SearchOutcome search(Connection c, SearchRequest request) throws SQLException {
        int count = 20;
        int offset = 0;
        String id = null;
        for (Map.Entry<String, List<String>> e : request.parameters().entrySet()) {
            switch (e.getKey()) {
                case "_count" -> count = Integer.parseInt(e.getValue().get(0));
                case "_getpagesoffset" -> offset = Integer.parseInt(e.getValue().get(0));
                case "_id" -> id = e.getValue().get(0);
                case "_total", "_format", "_pretty" -> { }
                default -> throw FhirException.badRequest(ErrorCode.UNKNOWN_SEARCH_PARAMETER,
                        "Unknown search parameter " + e.getKey());
            }
        }
        String sql = "select res_pk from fhir_resource where not deleted"
                + (request.resourceType() == null ? "" : " and res_type = ?")
                + (id == null ? "" : " and res_id = ?")
                + " order by last_updated desc, res_pk desc limit ? offset ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (request.resourceType() != null) {
                ps.setString(i++, request.resourceType());
            }
            if (id != null) {
                ps.setString(i++, id);
            }
            ps.setInt(i++, count + 1);
            ps.setInt(i, offset);
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
            return new SearchOutcome(keys, List.of(), null, offset, count, more, List.of(), "");
        }
    }

    @Override
    public void write(Connection connection, List<Indexable> items) {
    }

    @Override
    public void remove(Connection connection, long resourcePk) {
    }
}
