package org.charnwood.bench;

import org.charnwood.bench.FhirHttpClient.Result;
import org.charnwood.bench.PatientCorpus.EncodedBundle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Transaction ingest: the trust directory first, then one transaction bundle per patient, posted by
 * {@code concurrency} senders. Bundles are generated and encoded before the clock starts, so the senders only
 * send and the figure is the server's.
 */
final class IngestPhase implements Phase {

    static final double TARGET_RESOURCES_PER_SECOND = 3_500;

    private final FhirHttpClient client;
    private final int patients;
    private final int concurrency;
    private final long seed;
    private final boolean conditional;

    IngestPhase(FhirHttpClient client, int patients, int concurrency, long seed, boolean conditional) {
        this.client = client;
        this.patients = patients;
        this.concurrency = concurrency;
        this.seed = seed;
        this.conditional = conditional;
    }

    static IngestPhase from(Options o) {
        o.allowOnly("base", "patients", "concurrency", "seed", "conditional");
        return new IngestPhase(new FhirHttpClient(o.text("base")), o.integer("patients", 300),
                o.integer("concurrency", 4), o.integer("seed", 1), o.flag("conditional", true));
    }

    @Override
    public Report run() throws Exception {
        long prepStart = System.nanoTime();
        PatientCorpus corpus = new PatientCorpus();
        String trust = corpus.trustTransaction();
        List<EncodedBundle> bundles = corpus.transactions(patients, seed, conditional);
        double prepSeconds = (System.nanoTime() - prepStart) / 1e9;

        Result trustResult = client.postBundle(trust);
        if (!trustResult.ok()) {
            throw new BenchFailure("The trust directory bundle was refused, so no patient bundle can load: "
                    + trustResult.describe());
        }

        LatencyStats latency = new LatencyStats();
        AtomicInteger next = new AtomicInteger();
        AtomicLong resources = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        try (ExecutorService senders = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                done.add(senders.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < bundles.size()) {
                        EncodedBundle bundle = bundles.get(i);
                        long sent = System.nanoTime();
                        Result r = client.postBundle(bundle.json());
                        latency.record(System.nanoTime() - sent);
                        if (r.ok()) {
                            resources.addAndGet(bundle.resources());
                        } else {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "bundle " + i + ": " + r.describe());
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        long offered = bundles.stream().mapToLong(EncodedBundle::resources).sum();
        double rate = resources.get() / seconds;
        Report.Builder report = Report.titled("Transaction ingest")
                .figure("Patients (bundles)", Report.number(patients, 0))
                .figure("Concurrency", String.valueOf(concurrency))
                .figure("Resources sent / stored", Report.number(offered, 0) + " / " + Report.number(resources.get(), 0))
                .figure("Elapsed", Report.number(seconds, 1) + " s")
                .figure("Resources/s", rate, 0)
                .figure("Bundles/s", (bundles.size() - errors.get()) / seconds, 1)
                .latency("Bundle latency", latency.percentiles())
                .figure("Errors (non-2xx)", Report.number(errors.get(), 0))
                .figure("Target ≥ 3,500 resources/s", Report.verdict(errors.get() == 0 && rate >= TARGET_RESOURCES_PER_SECOND))
                .note("Seed " + seed + "; the trust directory (" + corpus.trustResources()
                        + " resources) was posted first and is not counted.")
                .note("Bundles were generated and encoded to JSON before timing (" + Report.number(prepSeconds, 1)
                        + " s), so senders never wait for the generator.");
        if (!conditional) {
            report.note("Run with --conditional false: Patient entries had no ifNoneExist, so the server did no"
                    + " identifier search per bundle; the standard bundles cost more.");
        }
        if (firstError.get() != null) {
            report.note("First error: " + firstError.get().replace('\n', ' '));
        }
        if (errors.get() * 2 > bundles.size()) {
            throw new BenchFailure("Most bundles were refused; first: " + firstError.get(), report.build());
        }
        return report.build();
    }
}
