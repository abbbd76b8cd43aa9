package org.charnwood.terminology.dmd;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads an NHSBSA dm+d XML release into the {@code dmd} schema and makes it the served release.
 *
 * <p>The release is streamed file by file (StAX, COPY in chunks), so a full release of hundreds of megabytes
 * loads in bounded memory. Its rows go in beside those of the served release, tagged with a new release id, in
 * one transaction that ends by moving the {@code dmd.serving} pointer: until that commit every reader sees the
 * old release, and a load that fails for any reason (bad XML, a missing file, a broken link, an unknown lookup
 * code, the database) rolls back and leaves it untouched. Loading the files that are already served again is
 * recognised by checksum and changes nothing. Loads are serialised by an advisory lock.
 */
public final class DmdImporter {

    /** How often, in records, progress is reported. */
    public static final int PROGRESS_EVERY = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DmdImporter.class);
    private static final long LOCK_KEY = 0x646d2b64L; // "dm+d"
    private static final List<String> DATA_TABLES = List.of("product", "lookup", "ingredient", "vtm",
            "vtm_ingredient", "vmp", "vmp_ingredient", "vmp_form", "vmp_ontology_form_route", "vmp_route",
            "vmp_control_info", "amp", "amp_ingredient", "amp_licensed_route", "vmpp", "vmpp_drug_tariff",
            "vmpp_component", "ampp", "ampp_price", "ampp_component", "gtin", "bnf", "historic_code");

    private final DataSource dataSource;

    public DmdImporter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Loads a release with no progress listener. */
    public DmdImportResult importRelease(DmdReleaseFiles files) {
        return importRelease(files, DmdImportListener.NONE);
    }

    /**
     * Loads a release and switches to it.
     *
     * @throws DmdReleaseRefused when the release is incomplete, malformed or inconsistent (naming file and line)
     * @throws FhirException     with {@link ErrorCode#DMD_IMPORT_FAILED} when the database fails
     */
    public DmdImportResult importRelease(DmdReleaseFiles files, DmdImportListener listener) {
        long started = System.nanoTime();
        Map<DmdFileKind, String> chosen = choose(files);
        String releaseName = DmdFileKind.LOOKUP.releaseName(chosen.get(DmdFileKind.LOOKUP));
        String checksum = checksum(files, chosen);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            lock(c, true);
            try {
                Optional<DmdRelease> serving = DmdRelease.serving(c);
                if (serving.isPresent() && serving.get().checksum().equals(checksum)) {
                    LOG.info("dm+d release {} from {} is already served; nothing to do", releaseName, files.source());
                    return new DmdImportResult(serving.get().id(), serving.get().name(), true, servedCounts(c),
                            Map.of(), Duration.ofNanos(System.nanoTime() - started));
                }
                int releaseId = startRelease(c, releaseName, checksum, files.source());
                LOG.info("dm+d release {} from {}: loading as release {}", releaseName, files.source(), releaseId);
                DmdImportResult result;
                try {
                    result = load(c, files, chosen, releaseId, releaseName, listener, started);
                } catch (RuntimeException | SQLException e) {
                    rollbackQuietly(c);
                    c.setAutoCommit(true);
                    fail(c, releaseId, e.getMessage());
                    Throwable database = e instanceof StorageFailure failure ? failure.getCause() : e;
                    if (database instanceof SQLException sql) {
                        LOG.error("dm+d release {} could not be stored", releaseName, sql);
                        throw FhirException.of(500, ErrorCode.DMD_IMPORT_FAILED, IssueType.EXCEPTION,
                                "dm+d release " + releaseName + " could not be stored: " + sql.getMessage());
                    }
                    LOG.warn("{}", e.getMessage());
                    throw (RuntimeException) e;
                }
                listener.switched(result);
                try {
                    removeReplaced(c, releaseId);
                } catch (SQLException e) {
                    // the new release is served either way; the next import deletes what is left
                    LOG.warn("rows of replaced dm+d releases could not be deleted yet", e);
                }
                return result;
            } finally {
                lock(c, false);
            }
        } catch (SQLException e) {
            throw FhirException.of(500, ErrorCode.DMD_IMPORT_FAILED, IssueType.EXCEPTION,
                    "dm+d release " + releaseName + " could not be stored: " + e.getMessage());
        }
    }

    private DmdImportResult load(Connection c, DmdReleaseFiles files, Map<DmdFileKind, String> chosen, int releaseId,
                                 String releaseName, DmdImportListener listener, long started) throws SQLException {
        c.setAutoCommit(false);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        ReleaseLoad load = new ReleaseLoad(copy, releaseId);
        for (Map.Entry<DmdFileKind, String> file : chosen.entrySet()) {
            loadFile(files, file.getKey(), file.getValue(), load, listener);
        }
        load.flush();
        if (load.count(ProductLevel.VMP) == 0) {
            throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_INCOMPLETE, chosen.get(DmdFileKind.VMP), 0,
                    "the release has no VMPs");
        }
        Map<ProductLevel, Long> products = new EnumMap<>(ProductLevel.class);
        for (ProductLevel level : ProductLevel.values()) {
            products.put(level, load.count(level));
        }
        Map<String, Long> rows = load.counts();
        try (PreparedStatement s = c.prepareStatement(
                "update dmd.release set state = 'retired' where state = 'serving'")) {
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                update dmd.release set state = 'serving', finished_at = now(), counts = ? where id = ?""")) {
            s.setString(1, rows.toString());
            s.setInt(2, releaseId);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("""
                insert into dmd.serving (only_row, release_id) values (true, ?)
                on conflict (only_row) do update set release_id = excluded.release_id""")) {
            s.setInt(1, releaseId);
            s.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("dm+d release {} is now served (release {}): {} in {} s", releaseName, releaseId, products,
                took.toMillis() / 1000.0);
        return new DmdImportResult(releaseId, releaseName, false, products, rows, took);
    }

    private static void loadFile(DmdReleaseFiles files, DmdFileKind kind, String path, ReleaseLoad load,
                                 DmdImportListener listener) {
        listener.fileStarted(path);
        long[] records = {0};
        try (InputStream in = files.open(path)) {
            DmdXmlReader.read(path, in, kind.root, kind.recordDepth, record -> {
                try {
                    load.accept(kind, record);
                } catch (SQLException e) {
                    throw new StorageFailure(e);
                }
                if (++records[0] % PROGRESS_EVERY == 0) {
                    listener.progress(path, records[0]);
                    if (records[0] % (PROGRESS_EVERY * 10) == 0) {
                        LOG.info("{}: {} records", path, records[0]);
                    }
                }
            });
        } catch (IOException e) {
            throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_UNREADABLE, path, 0, "could not be read: " + e);
        }
        LOG.info("{}: {} records loaded", path, records[0]);
        listener.fileFinished(path, records[0]);
    }

    /** Picks the file of each kind; refuses a release missing a required file or holding two of one kind. */
    static Map<DmdFileKind, String> choose(DmdReleaseFiles files) {
        Map<DmdFileKind, String> chosen = new EnumMap<>(DmdFileKind.class);
        for (String path : files.paths()) {
            for (DmdFileKind kind : DmdFileKind.values()) {
                if (kind.matches(path)) {
                    String other = chosen.put(kind, path);
                    if (other != null) {
                        throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_INCONSISTENT, path, 0,
                                "two " + kind.prefix + "*.xml files in one release (the other is " + other + ")");
                    }
                }
            }
        }
        for (DmdFileKind kind : DmdFileKind.values()) {
            if (kind.required && !chosen.containsKey(kind)) {
                throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_INCOMPLETE, null, 0,
                        "no " + kind.prefix + "*.xml file in " + files.source());
            }
        }
        return chosen;
    }

    /** SHA-256 over the chosen files' names and bytes: the same release read again has the same checksum. */
    private static String checksum(DmdReleaseFiles files, Map<DmdFileKind, String> chosen) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (String path : chosen.values()) {
                digest.update(path.substring(path.lastIndexOf('/') + 1).getBytes(StandardCharsets.UTF_8));
                try (InputStream in = new DigestInputStream(files.open(path), digest)) {
                    while (in.read(buffer) >= 0) {
                        // reading feeds the digest
                    }
                } catch (IOException e) {
                    throw new DmdReleaseRefused(ErrorCode.DMD_RELEASE_UNREADABLE, path, 0, "could not be read: " + e);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int startRelease(Connection c, String name, String checksum, String source) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                insert into dmd.release (name, checksum, source, state) values (?, ?, ?, 'loading') returning id""")) {
            s.setString(1, name);
            s.setString(2, checksum);
            s.setString(3, source);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void fail(Connection c, int releaseId, String message) {
        try (PreparedStatement s = c.prepareStatement("""
                update dmd.release set state = 'failed', finished_at = now(), message = ? where id = ?""")) {
            s.setString(1, message);
            s.setInt(2, releaseId);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("could not record that dm+d release {} failed", releaseId, e);
        }
    }

    /** Deletes the rows of every release but the served one; readers have already moved on. */
    private static void removeReplaced(Connection c, int servingId) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String table : DATA_TABLES) {
                s.executeUpdate("delete from dmd." + table + " where release_id <> " + servingId);
            }
        }
    }

    private static Map<ProductLevel, Long> servedCounts(Connection c) throws SQLException {
        Map<ProductLevel, Long> counts = new EnumMap<>(ProductLevel.class);
        for (ProductLevel level : ProductLevel.values()) {
            counts.put(level, 0L);
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                select p.level, count(*) from dmd.product p
                where p.release_id = (select release_id from dmd.serving) group by p.level""")) {
            while (rs.next()) {
                counts.put(ProductLevel.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        return counts;
    }

    private static void lock(Connection c, boolean take) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_" + (take ? "lock" : "unlock") + "(" + LOCK_KEY + ")");
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            LOG.warn("rollback of a failed dm+d load failed", e);
        }
    }

    /** Carries a database failure out of the record callback, which cannot throw checked exceptions. */
    private static final class StorageFailure extends RuntimeException {
        StorageFailure(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
