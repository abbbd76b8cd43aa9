package org.charnwood.bench;

import org.charnwood.bench.PatientCorpus.TypedJson;
import org.charnwood.bench.RawBaseline.BatchSource;
import org.charnwood.bench.RawBaseline.Outcome;

import java.util.List;

/**
 * The ingest baseline: the resources of the same patient bundles {@code ingest} sends, inserted raw into a
 * scratch PostgreSQL, one transaction per bundle at the same concurrency. Its resources/s is the ceiling the
 * transaction path could reach on this machine if FHIR cost nothing.
 */
final class BaselinePhase implements Phase {

    static final int RUNS = 3;

    private final int patients;
    private final int concurrency;
    private final long seed;

    BaselinePhase(int patients, int concurrency, long seed) {
        this.patients = patients;
        this.concurrency = concurrency;
        this.seed = seed;
    }

    static BaselinePhase from(Options o) {
        o.allowOnly("patients", "concurrency", "seed");
        return new BaselinePhase(o.integer("patients", 300), o.integer("concurrency", 4), o.integer("seed", 1));
    }

    @Override
    public Report run() throws Exception {
        List<List<TypedJson>> bundles = new PatientCorpus().resources(patients, seed);
        Outcome outcome;
        try (ScratchPostgres postgres = ScratchPostgres.start()) {
            outcome = new RawBaseline(postgres.jdbcUrl()).median(() -> BatchSource.of(bundles), concurrency, RUNS);
        }
        return Report.titled("Raw insert baseline (transaction bundles)")
                .figure("Patients (bundles)", Report.number(patients, 0))
                .figure("Concurrency", String.valueOf(concurrency))
                .figure("Resources", Report.number(outcome.resources(), 0))
                .figure("Elapsed", Report.number(outcome.seconds(), 2) + " s")
                .figure("Resources/s", outcome.resourcesPerSecond(), 0)
                .note("Seed " + seed + "; the same resources as ingest's bundles, as JSON text in a table with no"
                        + " indexes but its key, one transaction per bundle, in a scratch PostgreSQL with the"
                        + " application's embedded settings; median of " + RUNS + " runs.")
                .build();
    }
}
