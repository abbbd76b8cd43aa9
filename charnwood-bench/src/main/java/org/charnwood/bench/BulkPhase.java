package org.charnwood.bench;

import org.charnwood.bench.RawBaseline.Outcome;
import org.charnwood.demo.NdjsonExport;
import org.charnwood.demo.NdjsonWriter;

/**
 * Bulk NDJSON import: NdjsonWriter's export streamed in one {@code POST $import}, timed end to end, then (unless
 * told not to) the same files inserted raw into a scratch PostgreSQL for the within-3× comparison.
 */
final class BulkPhase implements Phase {

    static final double TARGET_TIMES_BASELINE = 3.0;

    private final FhirHttpClient client;
    private final int patients;
    private final long seed;
    private final boolean withBaseline;
    private final int writers;

    BulkPhase(FhirHttpClient client, int patients, long seed, boolean withBaseline, int writers) {
        this.client = client;
        this.patients = patients;
        this.seed = seed;
        this.withBaseline = withBaseline;
        this.writers = writers;
    }

    static BulkPhase from(Options o) {
        o.allowOnly("base", "patients", "seed", "baseline", "writers");
        return new BulkPhase(new FhirHttpClient(o.text("base")), o.integer("patients", 300), o.integer("seed", 2),
                o.flag("baseline", true), o.integer("writers", BulkBaselinePhase.defaultWriters()));
    }

    @Override
    public Report run() throws Exception {
        try (ScratchFolder folder = ScratchFolder.create("charnwood-bulk")) {
            long writeStart = System.nanoTime();
            NdjsonExport export = NdjsonWriter.forStandardTrust().writeNdjson(folder.path(), patients, seed);
            double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
            NdjsonFiles files = NdjsonFiles.in(folder.path());

            ImportOutcome imported = ImportOutcome.send(client, files::concatenated);
            Report.Builder report = Report.titled("Bulk NDJSON import")
                    .figure("Patients", Report.number(patients, 0))
                    .figure("Resources in the files / imported", Report.number(export.totalResources(), 0) + " / "
                            + Report.number(imported.imported(), 0))
                    .figure("NDJSON size", Report.number(files.bytes() / 1e6, 1) + " MB")
                    .figure("Import time", Report.number(imported.seconds(), 2) + " s")
                    .figure("Resources/s", imported.resourcesPerSecond(), 0)
                    .figure("Dangling-reference warnings", String.valueOf(imported.warnings()))
                    .note("Seed " + seed + "; NDJSON written before timing (" + Report.number(writeSeconds, 1)
                            + " s) and streamed from disk in one request; server said: " + imported.message());
            // The import's own events (NEWS2 scoring of its observations) are relayed after it, outside its time; the
            // raw baseline shares the machine, so it is measured only once they are done.
            RelayBacklog backlog = RelayBacklog.fromEnvironment(client.base());
            double settled = backlog == null ? -1 : backlog.awaitSettled(java.time.Duration.ofMinutes(10));
            report.figure("Outbox relay after the import", settled < 0 ? "not known"
                    : Report.number(settled, 1) + " s to deliver the events it left");
            if (withBaseline) {
                Outcome baseline = BulkBaselinePhase.measure(files, writers);
                double ratio = imported.seconds() / baseline.seconds();
                report.figure("Raw baseline time (same NDJSON)", Report.number(baseline.seconds(), 2) + " s ("
                                + Report.number(baseline.resourcesPerSecond(), 0) + " resources/s)")
                        .figure("Import time / baseline time", Report.number(ratio, 2) + "×")
                        .figure("Target within 3× of baseline", Report.verdict(ratio <= TARGET_TIMES_BASELINE))
                        .note("Baseline: " + BulkBaselinePhase.describe(seed, writers));
            }
            Report built = report.build();
            if (imported.imported() != export.totalResources()) {
                throw new BenchFailure("The server imported " + imported.imported() + " of "
                        + export.totalResources() + " resources", built);
            }
            return built;
        }
    }
}
