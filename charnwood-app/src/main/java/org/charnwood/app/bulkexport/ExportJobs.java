package org.charnwood.app.bulkexport;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where bulk export jobs and their files are kept ({@code bulk_export_job}, {@code bulk_export_file}). */
public class ExportJobs {

    private static final String COLUMNS = "id, client, level, group_id, types, since, request, status,"
            + " transaction_time, exported, progress, error, expires, subject, fhir_user, scopes";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public ExportJobs(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    void create(ExportJob job, Instant now) {
        jdbc.update(c -> {
            var ps = c.prepareStatement("insert into bulk_export_job (id, client, level, group_id, types, since,"
                    + " request, status, transaction_time, created, heartbeat, subject, fhir_user, scopes)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setObject(1, job.id());
            ps.setString(2, job.client());
            ps.setString(3, job.level());
            ps.setString(4, job.groupId());
            ps.setArray(5, c.createArrayOf("text", job.types().toArray()));
            ps.setTimestamp(6, job.since() == null ? null : Timestamp.from(job.since()));
            ps.setString(7, job.request());
            ps.setString(8, job.status());
            ps.setTimestamp(9, Timestamp.from(job.transactionTime()));
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setTimestamp(11, Timestamp.from(now));
            ps.setString(12, job.owner().subject());
            ps.setString(13, job.owner().fhirUser());
            ps.setArray(14, job.owner().scopes() == null ? null
                    : c.createArrayOf("text", job.owner().scopes().toArray()));
            return ps;
        });
    }

    /** The job, if it exists and belongs to {@code client}. */
    public Optional<ExportJob> find(UUID id, String client) {
        return jdbc.query("select " + COLUMNS + " from bulk_export_job where id = ? and client = ?",
                (rs, i) -> job(rs), id, client).stream().findFirst();
    }

    /**
     * The job, if it exists, belongs to {@code client} and has not expired by {@code now}: a job whose files are past
     * their time is gone at once, not at the next housekeeping, which only clears it away.
     */
    public Optional<ExportJob> find(UUID id, String client, Instant now) {
        return find(id, client).filter(job -> job.expires() == null || job.expires().isAfter(now));
    }

    /** Marks an accepted job as running; false when it is no longer waiting (cancelled meanwhile). */
    boolean start(UUID id) {
        return jdbc.update("update bulk_export_job set status = 'running' where id = ? and status = 'accepted'",
                id) == 1;
    }

    boolean running(UUID id) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select status = 'running' from bulk_export_job where id = ?", Boolean.class, id));
    }

    /**
     * Stores one file (of resources, or {@code deleted}: of Bundles listing deleted ones) and the progress it
     * makes, in one transaction; false if the job was cancelled.
     */
    boolean addFile(UUID id, int n, String type, boolean deleted, int count, List<String> patients, String ndjson,
                    long exported, String progress) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int rows = jdbc.update("update bulk_export_job set exported = ?, progress = ?"
                    + " where id = ? and status = 'running'", exported, progress, id);
            if (rows == 1) {
                jdbc.update("insert into bulk_export_file (job, n, type, deleted, count, patients, content)"
                                + " values (?, ?, ?, ?, ?, ?, ?)", id, n, type, deleted, count,
                        patients.isEmpty() ? null : String.join(",", patients), ndjson);
            }
            return rows == 1;
        }));
    }

    void progress(UUID id, String progress) {
        jdbc.update("update bulk_export_job set progress = ? where id = ?", progress, id);
    }

    void complete(UUID id, Instant now, Instant expires) {
        jdbc.update("update bulk_export_job set status = 'completed', progress = null, finished = ?, expires = ?"
                + " where id = ? and status = 'running'", Timestamp.from(now), Timestamp.from(expires), id);
    }

    void fail(UUID id, String error, Instant now, Instant expires) {
        jdbc.update("update bulk_export_job set status = 'failed', error = ?, finished = ?, expires = ?"
                        + " where id = ? and status in ('accepted', 'running')", error, Timestamp.from(now),
                Timestamp.from(expires), id);
    }

    /** Cancels the job and removes its files; false if there was no such job of that client's. */
    public boolean cancel(UUID id, String client, Instant now) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int rows = jdbc.update("update bulk_export_job set status = 'cancelled', finished = ?, expires = ?"
                            + " where id = ? and client = ? and status <> 'cancelled'", Timestamp.from(now),
                    Timestamp.from(now), id, client);
            if (rows == 1) {
                jdbc.update("delete from bulk_export_file where job = ?", id);
            }
            return rows == 1;
        }));
    }

    /** The files of a job, in order. */
    public List<ExportJob.File> files(UUID id) {
        return jdbc.query("select n, type, count, deleted from bulk_export_file where job = ? order by n",
                (rs, i) -> new ExportJob.File(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)), id);
    }

    /** A file of a completed job of {@code client}'s. */
    public Optional<ExportJob.Content> content(UUID id, String client, int n) {
        return jdbc.query("""
                        select f.type, f.content, f.patients from bulk_export_file f
                          join bulk_export_job j on j.id = f.job
                         where f.job = ? and j.client = ? and j.status = 'completed' and f.n = ?""",
                (rs, i) -> new ExportJob.Content(rs.getString(1), rs.getString(2),
                        rs.getString(3) == null ? List.of() : List.of(rs.getString(3).split(","))), id, client, n)
                .stream().findFirst();
    }

    /** Records that the server holding these unfinished jobs is alive. */
    void heartbeat(java.util.Collection<UUID> ids, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.update(c -> {
            var ps = c.prepareStatement("update bulk_export_job set heartbeat = ? where id = any(?)"
                    + " and status in ('accepted', 'running')");
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            return ps;
        });
    }

    /**
     * Fails unfinished jobs nobody has shown a sign of life for since {@code staleBefore}: the server that held
     * them stopped, and they cannot go on.
     */
    int abandon(Instant staleBefore, String error, Instant now, Instant expires) {
        return jdbc.update("update bulk_export_job set status = 'failed', error = ?, finished = ?, expires = ?"
                        + " where status in ('accepted', 'running') and heartbeat < ?", error, Timestamp.from(now),
                Timestamp.from(expires), Timestamp.from(staleBefore));
    }

    /** Removes the jobs (and files) whose time is up. */
    int purgeExpired(Instant now) {
        return jdbc.update("delete from bulk_export_job where expires is not null and expires <= ?",
                Timestamp.from(now));
    }

    private static ExportJob job(ResultSet rs) throws SQLException {
        Array types = rs.getArray(5);
        Timestamp since = rs.getTimestamp(6);
        Timestamp expires = rs.getTimestamp(13);
        Array scopes = rs.getArray(16);
        ExportJob.Owner owner = new ExportJob.Owner(rs.getString(2), rs.getString(14), rs.getString(15),
                scopes == null ? null : Arrays.asList((String[]) scopes.getArray()));
        return new ExportJob(rs.getObject(1, UUID.class), owner, rs.getString(3), rs.getString(4),
                Arrays.asList((String[]) types.getArray()), since == null ? null : since.toInstant(),
                rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant(), rs.getLong(10), rs.getString(11),
                rs.getString(12), expires == null ? null : expires.toInstant());
    }
}
