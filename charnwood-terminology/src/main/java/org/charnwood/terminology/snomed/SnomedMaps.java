package org.charnwood.terminology.snomed;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Map refsets of the served release, read from the database on demand: maps are looked up one code at a time
 * (for $translate) and a UK edition's hundreds of thousands of Read and CTV3 rows need not sit in memory.
 */
public final class SnomedMaps {

    private static final String COLUMNS = "refset_id, referenced_component_id, map_target, map_group, map_priority,"
            + " map_rule, map_advice, correlation_id";

    private final DataSource dataSource;

    public SnomedMaps(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every map row from this concept, in refset, group and priority order. */
    public List<MapTarget> targets(long conceptId) {
        return query("select " + COLUMNS + " from snomed.map_member m join snomed.current_release cr"
                + " using (release_id) where m.referenced_component_id = ?"
                + " order by refset_id, map_group nulls first, map_priority nulls first, map_target", conceptId, null);
    }

    /** The map rows of one refset whose target is this code: the reverse map (for example Read v2 → SNOMED CT). */
    public List<MapTarget> sources(long refsetId, String targetCode) {
        return query("select " + COLUMNS + " from snomed.map_member m join snomed.current_release cr"
                + " using (release_id) where m.refset_id = ? and m.map_target = ? order by referenced_component_id",
                refsetId, targetCode);
    }

    private List<MapTarget> query(String sql, long first, String second) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setLong(1, first);
            if (second != null) {
                q.setString(2, second);
            }
            List<MapTarget> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new MapTarget(rs.getLong(1), rs.getLong(2), rs.getString(3),
                            (Integer) rs.getObject(4), (Integer) rs.getObject(5), rs.getString(6), rs.getString(7),
                            (Long) rs.getObject(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("reading SNOMED CT maps failed", e);
        }
    }
}
