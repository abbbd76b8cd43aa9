package org.charnwood.terminology.dmd;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** A dm+d release as recorded in {@code dmd.release}. */
public record DmdRelease(int id, String name, String checksum, String source, Instant loadedAt) {

    /** The release being served, if any has been loaded. */
    public static Optional<DmdRelease> serving(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return serving(c);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the serving dm+d release failed", e);
        }
    }

    static Optional<DmdRelease> serving(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select r.id, r.name, r.checksum, r.source, r.finished_at
                from dmd.serving p join dmd.release r on r.id = p.release_id""");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new DmdRelease(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()));
        }
    }
}
