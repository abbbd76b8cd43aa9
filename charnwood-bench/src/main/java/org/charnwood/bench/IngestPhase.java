package org.charnwood.bench;

import org.charnwood.bench.FhirHttpClient.Result;
import org.charnwood.bench.PatientCorpus.EncodedBundle;

import java.nio.file.Path;
import java.util.List;

/**
 * Transaction ingest: the trust directory first, then one transaction bundle per patient, posted by
 * {@code concurrency} senders. Bundles are generated and encoded before the clock starts, so the senders only
 * send and the figure is the server's.
 *
 * <p>With {@code --warmup N}, N further patients (from another seed, so none is one of the measured patients)
 * are sent first, unmeasured for the target: a freshly started server runs its first few thousand writes
 * interpreted or half-compiled, and a run of a few seconds would otherwise measure mostly the JIT. The
 * warm-up's own rate is reported too, as the cold figure.
 *
 * <p>With {@code --synthea DIR}, the measured patients are Synthea patients made English ({@link SyntheaCohort}):
 * hundreds of resources each rather than the generator's few dozen. The warm-up stays generated.
 */
final class IngestPhase implements Phase {

    static final double TARGET_RESOURCES_PER_SECOND = 3_500;

    private final FhirHttpClient client;
    private final int patients;
    private final int concurrency;
    private final long seed;
    private final boolean conditional;
    private final int warmupPatients;
    private final ServerCpu cpu;
    private final Path synthea;

    IngestPhase(FhirHttpClient client, int patients, int concurrency, long seed, boolean conditional,
                int warmupPatients, ServerCpu cpu, Path synthea) {
        this.client = client;
        this.patients = patients;
        this.concurrency = concurrency;
        this.seed = seed;
        this.conditional = conditional;
        this.warmupPatients = warmupPatients;
        this.cpu = cpu;
        this.synthea = synthea;
    }

    static IngestPhase from(Options o) {
        o.allowOnly("base", "patients", "concurrency", "seed", "conditional", "warmup", "server-pid", "postgres-pid",
                "synthea");
        String synthea = o.text("synthea", null);
        return new IngestPhase(new FhirHttpClient(o.text("base")), o.integer("patients", 300),
                o.integer("concurrency", 4), o.integer("seed", 1), o.flag("conditional", true),
                o.integer("warmup", 0), ServerCpu.from(o), synthea == null ? null : Path.of(synthea));
    }

    /** The warm-up's patients come from a seed no other phase uses, so they never match a measured patient. */
    static long warmupSeed(long seed) {
        return seed + 1_000_003;
    }

    @Override
    public Report run() throws Exception {
        long prepStart = System.nanoTime();
        PatientCorpus corpus = new PatientCorpus();
        String trust = corpus.trustTransaction();
        SyntheaCohort cohort = synthea == null ? null : SyntheaCohort.read(synthea);
        List<EncodedBundle> bundles = cohort == null ? corpus.transactions(patients, seed, conditional)
                : cohort.transactions(patients);
        List<EncodedBundle> warmup = warmupPatients > 0
                ? corpus.transactions(warmupPatients, warmupSeed(seed), conditional) : List.of();
        double prepSeconds = (System.nanoTime() - prepStart) / 1e9;

        Result trustResult = client.postBundle(trust);
        if (!trustResult.ok()) {
            throw new BenchFailure("The trust directory bundle was refused, so no patient bundle can load: "
                    + trustResult.describe());
        }
        BundleSender.Outcome warm = warmup.isEmpty() ? null : new BundleSender(client, concurrency).send(warmup);
        ServerCpu.Sample cpuBefore = cpu.sample();
        BundleSender.Outcome sent = new BundleSender(client, concurrency).send(bundles);
        ServerCpu.Sample cpuAfter = cpu.sample();

        long offered = cohort == null ? bundles.stream().mapToLong(EncodedBundle::resources).sum()
                : cohort.resources(patients);
        double rate = sent.storedResources() / sent.seconds();
        Report.Builder report = Report.titled(cohort == null ? "Transaction ingest" : "Transaction ingest, Synthea patients")
                .figure("Patients (bundles)", Report.number(patients, 0))
                .figure("Concurrency", String.valueOf(concurrency))
                .figure("Resources sent / stored", Report.number(offered, 0) + " / "
                        + Report.number(sent.storedResources(), 0))
                .figure("Elapsed", Report.number(sent.seconds(), 1) + " s")
                .figure("Resources/s", rate, 0)
                .figure("Bundles/s", (bundles.size() - sent.errors()) / sent.seconds(), 1)
                .latency("Bundle latency", sent.latency())
                .figure("Server CPU per resource stored",
                        ServerCpu.perUnit(cpuBefore, cpuAfter, sent.storedResources()))
                .figure("Application CPU per resource by thread",
                        ServerCpu.byThread(cpuBefore, cpuAfter, sent.storedResources()))
                .figure("Errors (non-2xx)", Report.number(sent.errors(), 0))
                .figure("Target ≥ 3,500 resources/s",
                        Report.verdict(sent.errors() == 0 && rate >= TARGET_RESOURCES_PER_SECOND))
                .note("Seed " + seed + "; the trust directory (" + corpus.trustResources()
                        + " resources) was posted first and is not counted.");
        if (cohort == null) {
            report.note("Bundles were generated and encoded to JSON before timing (" + Report.number(prepSeconds, 1)
                    + " s), so senders never wait for the generator.");
        } else {
            report.note("Patients: the " + cohort.sources() + " Synthea bundles of " + synthea.getFileName()
                    + ", made English and encoded before timing (" + Report.number(prepSeconds, 1) + " s), each sent "
                    + "again under a new NHS number until " + patients + " patients were sent (a text replacement "
                    + "per copy, made as a sender asks for it).");
        }
        if (warm != null) {
            report.note("Warm-up, not counted above: " + warmupPatients + " other patients (seed "
                    + warmupSeed(seed) + ", " + Report.number(warm.storedResources(), 0) + " resources stored, "
                    + Report.number(warm.errors(), 0) + " errors) were sent first by the same senders, at "
                    + Report.number(warm.storedResources() / warm.seconds(), 0)
                    + " resources/s on the freshly started server (the cold figure).");
        }
        if (!conditional) {
            report.note("Run with --conditional false: Patient entries had no ifNoneExist, so the server did no"
                    + " identifier search per bundle; the standard bundles cost more.");
        }
        if (sent.firstError() != null) {
            report.note("First error: " + sent.firstError().replace('\n', ' '));
        }
        if (sent.abandoned()) {
            throw new BenchFailure("The server stopped answering; first error: " + sent.firstError(), report.build());
        }
        if (sent.errors() * 2 > bundles.size()) {
            throw new BenchFailure("Most bundles were refused; first: " + sent.firstError(), report.build());
        }
        return report.build();
    }
}
