package org.charnwood.app.audit.store;

import org.charnwood.app.audit.balp.AuditEventBuilder;
import org.charnwood.app.audit.balp.AuditRecord;
import org.charnwood.fhir.LoadWitness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Records of searches written by the statement that loads the search's page ({@link LoadWitness}), into
 * {@code audit.read_pending}, and sealed onto the read chain shortly after by the appender ({@link ReadChain#seal}).
 *
 * <p>Storing the record with the load costs the search no statement, round trip or commit of its own: that was
 * most of what auditing a search cost. The record is durable before the response goes out (it commits with the
 * load, or the load fails). What waits is its place in the hash chain: the seal numbers it, hashes it and stores it
 * with the other audit rows, normally within {@code charnwood.audit.seal-interval}, and before anyone reads the
 * trail. Until then it is a plain row (see decision 12).
 *
 * <p>The load says whose data it returned: the statement names every patient its rows refer to
 * ({@code patient_refs}), the Patients among them, and the patients the caller already knew of (the search's
 * {@code patient} and {@code subject}), which is what the record of a search names when it is built from the
 * returned JSON.
 */
public final class PendingReads {

    private static final String WITNESS = """
            insert into audit.read_pending (body, patients)
            select ?, (select string_agg(p, ',' order by p collate "C")
                         from (select unnest(l.patient_refs) from loaded l
                               union select l.res_id from loaded l where l.res_type = 'Patient'
                               union select unnest(?::text[])) as named(p)
                        where p is not null and p <> '')""";

    private static final String TAKE = """
            delete from audit.read_pending
             where id in (select id from audit.read_pending order by id limit ?)
            returning id, body, patients""";

    private PendingReads() {
    }

    /**
     * The witness that stores a search's record with its page: {@code facts} is the event without the patients
     * the page holds, {@code known} the patients it names whatever the page holds; {@code onBind} runs when the
     * statement is about to go (if it then fails, the load fails with it).
     */
    public static LoadWitness witness(String facts, Collection<String> known, Runnable onBind) {
        return new LoadWitness() {
            @Override
            public String sql() {
                return WITNESS;
            }

            @Override
            public void bind(PreparedStatement ps, int first) throws SQLException {
                ps.setString(first, facts);
                ps.setArray(first + 1, ps.getConnection().createArrayOf("text", known.toArray()));
                onBind.run();
            }
        };
    }

    /** Removes up to {@code limit} pending records, oldest first, completed with their patients, in the caller's transaction. */
    static List<AuditRecord> take(Connection c, int limit) throws SQLException {
        record Taken(long id, String body, String patients) {
        }
        List<Taken> taken = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(TAKE)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(new Taken(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        taken.sort(java.util.Comparator.comparingLong(Taken::id));
        List<AuditRecord> records = new ArrayList<>(taken.size());
        for (Taken t : taken) {
            records.add(AuditEventBuilder.completed(t.body(),
                    t.patients() == null ? List.of() : List.of(t.patients().split(","))));
        }
        return records;
    }
}
