package org.charnwood.bench;

import org.charnwood.terminology.snomed.ImportListener;
import org.charnwood.terminology.snomed.ImportOutcome;
import org.charnwood.terminology.snomed.SearchRequest;
import org.charnwood.terminology.snomed.SnomedImporter;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.charnwood.terminology.snomed.SnomedReleaseReader;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SNOMED CT at UK size: writes a synthetic RF2 snapshot, loads it into a scratch PostgreSQL with the real
 * importer, builds the in-memory release, and measures subsumption, descendant expansion, typeahead latency and
 * throughput (two threads) and the heap the release holds. Run it with {@code -Xmx1g} to check the memory target.
 */
final class TerminologyPhase implements Phase {

    private final int concepts;
    private final long seed;
    private final int seconds;
    private final int threads;

    private TerminologyPhase(int concepts, long seed, int seconds, int threads) {
        this.concepts = concepts;
        this.seed = seed;
        this.seconds = seconds;
        this.threads = threads;
    }

    static TerminologyPhase from(Options options) {
        options.allowOnly("concepts", "seed", "duration", "threads");
        return new TerminologyPhase(options.integer("concepts", 500_000), options.integer("seed", 4),
                options.integer("duration", 30), options.integer("threads", 2));
    }

    @Override
    public Report run() throws Exception {
        Report.Builder report = Report.titled("SNOMED CT terminology (" + String.format(Locale.ROOT, "%,d", concepts)
                + " synthetic concepts)");
        try (ScratchFolder folder = ScratchFolder.create("charnwood-snomed-rf2");
             ScratchPostgres postgres = ScratchPostgres.start()) {
            long t0 = System.nanoTime();
            SyntheticSnomedRelease.Summary summary = new SyntheticSnomedRelease(concepts, seed)
                    .write(folder.path().resolve("SnomedCT_BenchSyntheticRF2_INT_20250401"));
            double generated = seconds(t0);
            report.figure("RF2 written", String.format(Locale.ROOT, "%,d concepts, %,d descriptions, %,d relationships in %.0f s",
                    summary.concepts(), summary.descriptions(), summary.relationships(), generated));

            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(postgres.jdbcUrl());
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/terminology").load().migrate();

            t0 = System.nanoTime();
            ImportOutcome outcome = new SnomedImporter(dataSource, ImportListener.NONE)
                    .load(List.of(folder.path().resolve("SnomedCT_BenchSyntheticRF2_INT_20250401")));
            double imported = seconds(t0);
            report.figure("Import (check + COPY + analyse, one transaction)", String.format(Locale.ROOT,
                    "%.0f s (target ≤ 300 s: %s)", imported, Report.verdict(imported <= 300)));
            report.note("Rows stored: " + outcome.rows());

            System.gc();
            long heapBefore = usedHeap();
            t0 = System.nanoTime();
            SnomedRelease release = new SnomedReleaseReader(dataSource).read();
            double built = seconds(t0);
            System.gc();
            Thread.sleep(200);
            System.gc();
            long heap = usedHeap() - heapBefore;
            report.figure("In-memory release built from the database", String.format(Locale.ROOT, "%.0f s", built));
            report.figure("Heap held by the release (graph + descriptions + search index)",
                    String.format(Locale.ROOT, "%,d MB (max heap %,d MB)", heap >> 20,
                            Runtime.getRuntime().maxMemory() >> 20));
            report.figure("Words in the search vocabulary", String.format(Locale.ROOT, "%,d",
                    release.search().vocabularySize()));

            measureSubsumption(release, report);
            measureExpansion(release, summary, report);
            measureSearch(release, report);
            report.note("Load average at the end: " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                    + " (wall-clock latencies include waiting for a core; CPU time per query does not)");
            report.note("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                    + Runtime.version() + ", " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        }
        return report.build();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private void measureSubsumption(SnomedRelease release, Report.Builder report) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = release.size();
        int samples = 200_000;
        long[] positive = new long[samples];
        long[] negative = new long[samples];
        int found = 0;
        for (int round = 0; round < 2; round++) {
            found = 0;
            for (int k = 0; k < samples; k++) {
                int d = random.nextInt(n);
                BitSet ancestors = new BitSet();
                release.addAncestors(d, ancestors);
                int a = ancestors.isEmpty() ? d : nth(ancestors, random.nextInt(ancestors.cardinality()));
                long t = System.nanoTime();
                boolean yes = release.subsumes(a, d);
                positive[k] = System.nanoTime() - t;
                int other = random.nextInt(n);
                t = System.nanoTime();
                boolean maybe = release.subsumes(other, d);
                negative[k] = System.nanoTime() - t;
                found += (yes ? 1 : 0) + (maybe ? 1 : 0);
            }
        }
        Arrays.sort(positive);
        Arrays.sort(negative);
        report.figure("Subsumption test, ancestor pairs (target ≤ 50 µs)", String.format(Locale.ROOT,
                "p50 %.2f µs, p99 %.2f µs, max %.1f µs (%s)", positive[samples / 2] / 1e3, positive[samples * 99 / 100] / 1e3,
                positive[samples - 1] / 1e3, Report.verdict(positive[samples * 99 / 100] <= 50_000)));
        report.figure("Subsumption test, random pairs", String.format(Locale.ROOT,
                "p50 %.2f µs, p99 %.2f µs, max %.1f µs", negative[samples / 2] / 1e3, negative[samples * 99 / 100] / 1e3,
                negative[samples - 1] / 1e3));
        if (found < samples) {
            throw new BenchFailure("subsumption missed known ancestors", report.build());
        }
    }

    private static int nth(BitSet set, int k) {
        int i = set.nextSetBit(0);
        while (k-- > 0) {
            i = set.nextSetBit(i + 1);
        }
        return i;
    }

    private void measureExpansion(SnomedRelease release, SyntheticSnomedRelease.Summary summary, Report.Builder report) {
        int top = release.index(summary.largestTopLevel());
        double best = Double.MAX_VALUE;
        int count = 0;
        for (int k = 0; k < 7; k++) {
            BitSet into = new BitSet(release.size());
            long t = System.nanoTime();
            release.addDescendants(top, into);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
            count = into.cardinality();
        }
        double rate = count / best;
        report.figure("<< expansion of the largest top-level hierarchy (target ≥ 1M codes/s)", String.format(Locale.ROOT,
                "%,d codes in %.1f ms = %,.0f codes/s (%s)", count, best * 1e3, rate, Report.verdict(rate >= 1_000_000)));
    }

    private void measureSearch(SnomedRelease release, Report.Builder report) throws InterruptedException {
        List<String> queries = queries(release, 20_000);
        // Warm up the JIT and the per-thread work space.
        for (int k = 0; k < 20_000; k++) {
            release.search(SearchRequest.of(queries.get(k % queries.size()), 10));
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[threads];
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            long[] mine = new long[5_000_000];
            latencies.add(mine);
            int worker = w;
            workers.add(Thread.ofPlatform().start(() -> {
                int k = worker * 7919;
                int done = 0;
                while (!stop.get() && done < mine.length) {
                    String q = queries.get(k++ % queries.size());
                    long t = System.nanoTime();
                    release.search(SearchRequest.of(q, 10));
                    mine[done++] = System.nanoTime() - t;
                }
                counts[worker] = done;
            }));
        }
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        double elapsed = seconds(t0);
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < threads; w++) {
            System.arraycopy(latencies.get(w), 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        double p50 = all[total / 2] / 1e6;
        double p99 = all[(int) (total * 0.99)] / 1e6;
        double throughput = total / elapsed;
        report.figure("Typeahead, " + threads + " threads flat out, limit 10 (targets p50 ≤ 1 ms, p99 ≤ 5 ms, ≥ 5,000/s)",
                String.format(Locale.ROOT, "p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.1f ms; %,.0f searches/s (%s)",
                        p50, all[(int) (total * 0.95)] / 1e6, p99, all[total - 1] / 1e6, throughput,
                        Report.verdict(p50 <= 1 && p99 <= 5 && throughput >= 5_000)));
        for (String kind : List.of("one word", "two or more words", "with a typo")) {
            List<String> some = queries.stream().filter(q -> kind(q).equals(kind)).limit(2_000).toList();
            long[] times = new long[some.size()];
            long[] cpu = new long[some.size()];
            var threadBean = ManagementFactory.getThreadMXBean();
            int empty = 0;
            for (int k = 0; k < some.size(); k++) {
                long c = threadBean.getCurrentThreadCpuTime();
                long t = System.nanoTime();
                empty += release.search(SearchRequest.of(some.get(k), 10)).isEmpty() ? 1 : 0;
                times[k] = System.nanoTime() - t;
                cpu[k] = threadBean.getCurrentThreadCpuTime() - c;
            }
            Arrays.sort(times);
            Arrays.sort(cpu);
            report.figure("Typeahead, one thread, queries " + kind, String.format(Locale.ROOT,
                    "wall p50 %.3f ms, p99 %.3f ms, max %.1f ms; CPU p50 %.3f ms, p99 %.3f ms (%,d queries, %,d found nothing)",
                    times[times.length / 2] / 1e6, times[(int) (times.length * 0.99)] / 1e6, times[times.length - 1] / 1e6,
                    cpu[cpu.length / 2] / 1e6, cpu[(int) (cpu.length * 0.99)] / 1e6, times.length, empty));
        }
        report.note("Typeahead queries: " + queries.size() + " made from random searchable terms: one to three of their"
                + " words, each cut to a 3-7 letter prefix, one in ten with a letter changed (fuzzy path); e.g. "
                + queries.subList(0, 5));
    }

    private final java.util.Set<String> typos = new java.util.HashSet<>();

    private String kind(String query) {
        return typos.contains(query) ? "with a typo" : query.contains(" ") ? "two or more words" : "one word";
    }

    private List<String> queries(SnomedRelease release, int count) {
        SplittableRandom random = new SplittableRandom(seed + 1);
        List<String> out = new ArrayList<>(count);
        while (out.size() < count) {
            int c = random.nextInt(release.size());
            String term = release.preferredTerm(c);
            if (term == null || !release.active(c)) {
                continue;
            }
            String[] words = term.toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
            int take = 1 + random.nextInt(Math.min(3, words.length));
            int from = random.nextInt(words.length - take + 1);
            StringBuilder q = new StringBuilder();
            for (int k = from; k < from + take; k++) {
                String w = words[k];
                if (w.isEmpty()) {
                    continue;
                }
                int len = Math.min(w.length(), 3 + random.nextInt(5));
                q.append(w, 0, len).append(' ');
            }
            String query = q.toString().trim();
            if (query.length() >= 3) {
                if (random.nextInt(10) == 0 && query.length() > 4) {
                    int at = 1 + random.nextInt(query.length() - 2);
                    query = query.substring(0, at) + 'q' + query.substring(at + 1);
                    typos.add(query);
                }
                out.add(query);
            }
        }
        return out;
    }
}
