package org.charnwood.bench;

import org.charnwood.bench.RawBaseline.Outcome;
import org.charnwood.demo.NdjsonWriter;

/**
 * The bulk baseline: the NDJSON lines {@code bulk} sends, inserted raw into a scratch PostgreSQL in transactions
 * of 1,000 (the importer's chunk size). Bulk import's target is to stay within three times this time.
 */
final class BulkBaselinePhase implements Phase {

    /** The importer writes 1,000 resources a transaction; the baseline batches alike. */
    static final int BATCH = 1_000;

    private final int patients;
    private final long seed;
    private final int writers;

    BulkBaselinePhase(int patients, long seed, int writers) {
        this.patients = patients;
        this.seed = seed;
        this.writers = writers;
    }

    static BulkBaselinePhase from(Options o) {
        o.allowOnly("patients", "seed", "writers");
        return new BulkBaselinePhase(o.integer("patients", 300), o.integer("seed", 2),
                o.integer("writers", defaultWriters()));
    }

    /** One writer per core: on this kind of machine more only queue behind each other. */
    static int defaultWriters() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public Report run() throws Exception {
        try (ScratchFolder folder = ScratchFolder.create("charnwood-bulk-baseline")) {
            NdjsonWriter.forStandardTrust().writeNdjson(folder.path(), patients, seed);
            Outcome outcome = measure(NdjsonFiles.in(folder.path()), writers);
            return Report.titled("Raw insert baseline (bulk NDJSON)")
                    .figure("Patients", Report.number(patients, 0))
                    .figure("Resources", Report.number(outcome.resources(), 0))
                    .figure("Elapsed", Report.number(outcome.seconds(), 2) + " s")
                    .figure("Resources/s", outcome.resourcesPerSecond(), 0)
                    .note(describe(seed, writers))
                    .build();
        }
    }

    /** Inserts every line of the files raw into a fresh scratch PostgreSQL. */
    static Outcome measure(NdjsonFiles files, int writers) throws Exception {
        try (ScratchPostgres postgres = ScratchPostgres.start()) {
            return new RawBaseline(postgres.jdbcUrl()).median(() -> files.batches(BATCH), writers, BaselinePhase.RUNS);
        }
    }

    static String describe(long seed, int writers) {
        return "Seed " + seed + "; NdjsonWriter's lines as JSON text in a table with no indexes but its key, "
                + BATCH + " lines a transaction, " + writers + " writers, in a scratch PostgreSQL with the"
                + " application's embedded settings; median of " + BaselinePhase.RUNS + " runs.";
    }
}
