package org.charnwood.fhir.bulk;

import org.charnwood.fhir.ConflictRetry;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RefusedResource;
import org.charnwood.fhir.ResourceParser;
import org.charnwood.fhir.WriteResult;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Loads FHIR Bulk Data NDJSON (one resource per line) keeping the resources' own ids. Lines are
 * parsed on several threads and written in chunks, each chunk one transaction with the normal
 * write path's checks (validation, versions, indexes, outbox), so an import is as safe as single
 * writes and much faster. Resources new to the store go in with {@code COPY}
 * ({@link org.charnwood.fhir.WriteSession#importAll}). References are not checked per chunk, since
 * chunks may refer forward to later ones: call {@link #danglingReferencesSince} once every source is
 * in.
 */
public final class NdjsonImporter {

    private static final int CHUNK = 1000;
    /** Autovacuum's default analyse threshold: this many rows, plus this fraction of the table. */
    private static final long STALE_ROWS = 50;
    private static final double STALE_FRACTION = 0.1;

    private final FhirRepository repository;
    private final ResourceParser parser = new ResourceParser();
    private final int parallelism;

    public NdjsonImporter(FhirRepository repository, int parallelism) {
        this.repository = repository;
        this.parallelism = Math.max(1, parallelism);
    }

    /** What an import of one source did. */
    public record Summary(long created, long updated, long chunks) {
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
     * Up to 100 references from resources changed at or after {@code since} that resolve to no
     * current resource: any local reference, wherever it is in the resource, as the write path checks
     * them ({@code fhir_link}). Run once after every source of an import is in, since chunks and files
     * may refer forward to later ones.
     */
    public List<String> danglingReferencesSince(java.time.Instant since) {
        return repository.withConnection(c -> {
            try (var ps = c.prepareStatement("""
                    select distinct r.res_type || '/' || r.res_id || ' -> ' || x.target_type || '/' || x.target_id
                      from fhir_link x join fhir_resource r on r.res_pk = x.res_pk
                     where r.last_updated >= ?
                       and not exists (select 1 from fhir_resource t where t.res_type = x.target_type
                                        and t.res_id = x.target_id and not t.deleted)
                     limit 100""")) {
                ps.setTimestamp(1, java.sql.Timestamp.from(since));
                List<String> out = new ArrayList<>();
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Imports every line of the reader. Chunks of 1,000 lines are parsed and written by
     * {@code parallelism} workers at once, each chunk in its own transaction, while the next
     * chunks are read. A bad line fails its chunk with a message naming the line, and no further
     * chunks are started; chunks already committed stay. The same resource must not appear twice in
     * one import (two chunks could race to create it).
     *
     * @param source a name for messages, e.g. the file name
     */
    public Summary importLines(String source, BufferedReader reader) {
        java.util.concurrent.atomic.AtomicLong created = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong updated = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(parallelism + 1);
        long chunks = 0;
        long lineNumber = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(parallelism)) {
            List<Line> lines = new ArrayList<>(CHUNK);
            String line;
            while (failure.get() == null) {
                line = reader.readLine();
                if (line != null) {
                    // Blank lines are skipped but counted, so that every message names the line an editor shows.
                    lineNumber++;
                    if (!line.isBlank()) {
                        lines.add(new Line(lineNumber, line));
                    }
                }
                if (lines.size() == CHUNK || (line == null && !lines.isEmpty())) {
                    List<Line> chunk = lines;
                    inFlight.acquireUninterruptibly();
                    pool.submit(() -> {
                        try {
                            if (failure.get() == null) {
                                long[] counts = write(source, chunk, parseChunk(source, chunk));
                                created.addAndGet(counts[0]);
                                updated.addAndGet(counts[1]);
                            }
                        } catch (RuntimeException ex) {
                            failure.compareAndSet(null, ex);
                        } finally {
                            inFlight.release();
                        }
                    });
                    chunks++;
                    lines = new ArrayList<>(CHUNK);
                }
                if (line == null) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Summary(created.get(), updated.get(), chunks);
    }

    /** A line of the source with its number in it, blank lines counted. */
    private record Line(long number, String text) {
    }

    private List<Resource> parseChunk(String source, List<Line> lines) {
        List<Resource> out = new ArrayList<>(lines.size());
        for (Line line : lines) {
            try {
                Resource r = parser.parse(line.text(), FhirFormat.JSON);
                if (r.getIdElement().getIdPart() == null) {
                    throw FhirException.badRequest(ErrorCode.INVALID_BUNDLE, "the resource has no id");
                }
                out.add(r);
            } catch (FhirException e) {
                throw FhirException.of(e.status(), ErrorCode.INVALID_RESOURCE, IssueType.INVALID,
                        source + " line " + line.number() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Writes one chunk in its own transaction. A chunk that met another writer changing or creating one of its
     * resources at the same moment (two imports sharing a trust's Organizations, say) was rolled back whole; an
     * import writes by id, the last writer's version winning, so the chunk is simply written again (up to
     * {@link ConflictRetry#ATTEMPTS} times in all). A refusal names the line, and the resource, it was for; one
     * that is not any single resource's names the chunk's lines.
     */
    private long[] write(String source, List<Line> lines, List<Resource> resources) {
        try {
            return ConflictRetry.run(() -> writeOnce(resources));
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

    private long[] writeOnce(List<Resource> resources) {
        return repository.inTransaction(session -> {
            session.checkReferencesElsewhere();
            // New resources go in with COPY, existing ones are updated together (see WriteSession.importAll).
            long created = 0;
            long updated = 0;
            for (WriteResult result : session.importAll(resources)) {
                if (result.kind() == WriteResult.Kind.CREATED) {
                    created++;
                } else {
                    updated++;
                }
            }
            return new long[] {created, updated};
        });
    }
}
