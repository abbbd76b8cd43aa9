package org.charnwood.fhir.bulk;

import org.charnwood.fhir.ConflictRetry;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RefusedResource;
import org.charnwood.fhir.ResourceParser;
import org.charnwood.fhir.WriteResult;
import org.hl7.fhir.r4.model.Resource;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Loads FHIR Bulk Data NDJSON (one resource per line) keeping the resources' own ids, all or nothing: every line
 * is checked first (parsed and validated on several threads, its local references resolved within the import
 * or the store), and only an import with no bad line is written, in one transaction with the normal write path's
 * work (versions, indexes, outbox, audit). Resources new to the store go in with {@code COPY}
 * ({@link org.charnwood.fhir.WriteSession#importAll}). So an import is exactly as safe as a transaction bundle of
 * the same resources, and much faster.
 */
public final class NdjsonImporter {

    private static final int CHUNK = 1000;
    /** Autovacuum's default analyse threshold: this many rows, plus this fraction of the table. */
    private static final long STALE_ROWS = 50;
    private static final double STALE_FRACTION = 0.1;

    private final FhirRepository repository;
    private final ResourceParser parser = new ResourceParser();
    private final int parallelism;
    private final Consumer<Resource> contentCheck;

    public NdjsonImporter(FhirRepository repository, int parallelism) {
        this(repository, parallelism, resource -> { });
    }

    /**
     * @param contentCheck the application's own check of each resource's content, run in the first pass after
     *                     validation, that refuses a resource by throwing a {@link FhirException} (such as a
     *                     security label the access policy does not know); a refused line is listed with the
     *                     other bad lines
     */
    public NdjsonImporter(FhirRepository repository, int parallelism, Consumer<Resource> contentCheck) {
        this.repository = repository;
        this.parallelism = Math.max(1, parallelism);
        this.contentCheck = contentCheck;
    }

    /**
     * What an import of one source did.
     *
     * @param chunks     chunks of up to 1,000 lines written (all in one transaction)
     * @param unresolved where the repository allows dangling references, up to 100 that resolve to nothing
     *                   ({@code Type/id -> Type/id}); else empty, since the import was refused for any
     */
    public record Summary(long created, long updated, long chunks, List<String> unresolved) {
    }

    /**
     * Analyses the store's tables when an import changed enough of the store for the planner's statistics to be
     * stale, so that searches right after a large import are planned with the new rows counted rather than waiting
     * for autovacuum. Enough means autovacuum's own default threshold for analysing a table: 50 rows and a tenth of
     * the rows it was last counted at, taken on the resource table; a store never analysed is always stale. A
     * small import into a large store leaves the statistics as they are, since analysing tables of hundreds of
     * thousands of rows for a few per cent more would take longer than the import itself. Run once when an import
     * finishes.
     *
     * @param changed resources the import created or updated
     * @return whether the statistics were refreshed
     */
    public boolean refreshPlannerStatistics(long changed) {
        if (!statisticsStale(changed)) {
            return false;
        }
        // One table per connection, several at once: ANALYZE samples and sorts each table on one
        // core, and the import is not answered until the statistics are in.
        List<String> tables = List.of("fhir_resource", "fhir_resource_version", "idx_string", "idx_token",
                "idx_date", "idx_number", "idx_quantity", "idx_reference", "idx_uri", "idx_composite", "fhir_link");
        List<java.util.concurrent.Future<?>> analyses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, tables.size()))) {
            for (String table : tables) {
                analyses.add(pool.submit(() -> repository.withConnection(c -> {
                    try (var s = c.createStatement()) {
                        s.execute("analyze " + table);
                    }
                    return null;
                })));
            }
            for (var analysis : analyses) {
                analysis.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while refreshing planner statistics", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return true;
    }

    /** Whether {@code changed} resources are enough to make the planner's count of the store stale. */
    private boolean statisticsStale(long changed) {
        // reltuples is what the last ANALYZE or VACUUM counted; -1 when neither has run since the table was made
        // or emptied.
        double counted = repository.withConnection(c -> {
            try (var s = c.createStatement();
                 var rs = s.executeQuery("select reltuples from pg_class where oid = 'fhir_resource'::regclass")) {
                rs.next();
                return rs.getDouble(1);
            }
        });
        return counted < 0 || changed >= STALE_ROWS + STALE_FRACTION * counted;
    }

    /**
     * Imports every line of the reader, all or nothing, in two passes. The first reads the source once, keeping a
     * copy in a temporary file, and checks every line on {@code parallelism} threads (a chunk of 1,000 lines at a
     * time): parsed, validated, and each local reference resolved against the import's own resources and the
     * store. Any bad line refuses the whole import, naming every bad line found (up to {@value ImportCheck#LIMIT})
     * with its number, before anything is written. The second pass writes every line in one transaction, the
     * copy parsed ahead on the other threads while the chunks go in with {@code COPY}: the import commits whole,
     * or (a refusal or failure of the database while writing) not at all. A resource may appear more than once;
     * each appearance is a version, the last winning.
     *
     * @param source a name for messages, e.g. the file name
     */
    public Summary importLines(String source, BufferedReader reader) {
        Path copy;
        try {
            copy = Files.createTempFile("charnwood-import-", ".ndjson");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ImportCheck check = check(source, reader, copy);
            check.refuseIfAnyBad();
            long[] counts = ConflictRetry.run(() -> writeAll(source, copy));
            return new Summary(counts[0], counts[1], counts[2], check.unresolvedAllowed());
        } finally {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                // A temporary file left behind is the operating system's to clear; the import itself is done.
            }
        }
    }

    /** The first pass: reads the source into {@code copy} and checks every line, writing nothing to the store. */
    private ImportCheck check(String source, BufferedReader reader, Path copy) {
        ImportCheck check = new ImportCheck(source, repository, contentCheck);
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(parallelism + 1);
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallelism);
             BufferedWriter out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
            List<ImportCheck.Line> lines = new ArrayList<>(CHUNK);
            long lineNumber = 0;
            while (!check.full() && failure.get() == null) {
                String line = reader.readLine();
                if (line != null) {
                    // Blank lines are kept and counted, so that every message names the line an editor shows.
                    lineNumber++;
                    out.write(line);
                    out.write('\n');
                    if (!line.isBlank()) {
                        lines.add(new ImportCheck.Line(lineNumber, line));
                    }
                }
                if (lines.size() == CHUNK || (line == null && !lines.isEmpty())) {
                    List<ImportCheck.Line> chunk = lines;
                    inFlight.acquireUninterruptibly();
                    pool.submit(() -> {
                        try {
                            check.check(chunk);
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            inFlight.release();
                        }
                    });
                    lines = new ArrayList<>(CHUNK);
                }
                if (line == null) {
                    break;
                }
            }
            // Once enough bad lines are found the rest is not checked, but it is read to its end, so that a
            // client still sending it is answered rather than cut off.
            while (check.full() && reader.readLine() != null) {
                continue;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (!check.full()) {
            check.resolveReferences();
        }
        return check;
    }

    /**
     * The second pass: every line of the checked copy written in one transaction. Chunks are parsed ahead on the
     * pool while this thread writes the one before. References are checked as any write's are, when the
     * transaction ends; the transaction's listener (the audit trail) hears of every version then, just before the
     * commit, so that the audit chain's lock is held for moments, not for the import.
     *
     * @return resources created, updated, and chunks written
     */
    private long[] writeAll(String source, Path copy) {
        return repository.inTransaction(session -> {
            long created = 0;
            long updated = 0;
            long chunks = 0;
            java.util.ArrayDeque<java.util.concurrent.Future<Parsed>> ahead = new java.util.ArrayDeque<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(parallelism);
                 BufferedReader in = Files.newBufferedReader(copy, StandardCharsets.UTF_8)) {
                List<ImportCheck.Line> lines = new ArrayList<>(CHUNK);
                long lineNumber = 0;
                String line;
                do {
                    line = in.readLine();
                    if (line != null) {
                        lineNumber++;
                        if (!line.isBlank()) {
                            lines.add(new ImportCheck.Line(lineNumber, line));
                        }
                    }
                    if (lines.size() == CHUNK || (line == null && !lines.isEmpty())) {
                        List<ImportCheck.Line> chunk = lines;
                        ahead.add(pool.submit(() -> parse(chunk)));
                        lines = new ArrayList<>(CHUNK);
                    }
                    while (!ahead.isEmpty() && (ahead.size() > parallelism || line == null)) {
                        Parsed parsed = next(ahead);
                        for (WriteResult result : write(source, session, parsed)) {
                            if (result.kind() == WriteResult.Kind.CREATED) {
                                created++;
                            } else {
                                updated++;
                            }
                        }
                        chunks++;
                    }
                } while (line != null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                ahead.forEach(f -> f.cancel(true));
            }
            return new long[] {created, updated, chunks};
        });
    }

    /** A chunk's lines with their resources, parsed. */
    private record Parsed(List<ImportCheck.Line> lines, List<Resource> resources) {
    }

    private Parsed parse(List<ImportCheck.Line> lines) {
        List<Resource> resources = new ArrayList<>(lines.size());
        for (ImportCheck.Line line : lines) {
            resources.add(parser.parse(line.text(), FhirFormat.JSON));
        }
        return new Parsed(lines, resources);
    }

    private static Parsed next(java.util.ArrayDeque<java.util.concurrent.Future<Parsed>> ahead) {
        try {
            return ahead.poll().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while importing", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Writes one chunk of the import's transaction, its resources already validated by the first pass. A refusal
     * here (the store changed since the check, say) names the line, and the resource, it was for; one that is not
     * any single resource's names the chunk's lines. Either refuses the whole import.
     */
    private static List<WriteResult> write(String source, org.charnwood.fhir.WriteSession session, Parsed chunk)
            throws java.sql.SQLException {
        List<Resource> resources = chunk.resources();
        List<ImportCheck.Line> lines = chunk.lines();
        try {
            return session.importAll(resources, true);
        } catch (RefusedResource e) {
            for (int i = 0; i < resources.size(); i++) {
                if (resources.get(i) == e.resource()) {
                    throw ImportFailures.at(source + " line " + lines.get(i).number() + " (" + e.key() + ")", e);
                }
            }
            throw ImportFailures.at(source + ", " + e.key(), e);
        } catch (FhirException e) {
            throw ImportFailures.at(source + " lines " + lines.getFirst().number() + "-" + lines.getLast().number(),
                    e);
        }
    }

}
