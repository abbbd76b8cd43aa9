package org.charnwood.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * The search mix against whatever the server holds: sample, warm up (discarded), then a timed run, closed-loop or
 * at a fixed rate (see {@link SearchSchedule}).
 * Reports overall and per-query percentiles and refuses to report a run in which most searches failed.
 */
final class SearchPhase implements Phase {

    static final double TARGET_P99_MILLIS = 25;
    static final long TARGET_MIN_PATIENTS = 300;

    private final FhirHttpClient client;
    private final SearchSchedule schedule;
    private final ServerCpu cpu;

    SearchPhase(FhirHttpClient client, SearchSchedule schedule, ServerCpu cpu) {
        this.client = client;
        this.schedule = schedule;
        this.cpu = cpu;
    }

    static SearchPhase from(Options o) {
        o.allowOnly("base", "duration", "warmup", "concurrency", "seed", "rate", "server-pid", "postgres-pid");
        return new SearchPhase(new FhirHttpClient(o.text("base")), SearchSchedule.from(o, 1), ServerCpu.from(o));
    }

    @Override
    public Report run() throws Exception {
        SearchSampler sampler = new SearchSampler(client);
        long patients = sampler.patientCount();
        SearchSample sample = sampler.sample();
        Report.Builder report = Report.titled("Search mix")
                .figure("Patients on the server", patients < 0 ? "unknown" : Report.number(patients, 0))
                .figure("Sampled", sample.patients().size() + " patients, " + sample.observations().size()
                        + " observations");
        sample.notes().forEach(report::note);
        ServerCpu.Sample[] cpuWindow = new ServerCpu.Sample[2];
        SearchRun run = measure(client, sample, schedule, report, cpu, cpuWindow);
        run.describe(report, "");
        report.figure("Server CPU per request", ServerCpu.perUnit(cpuWindow[0], cpuWindow[1], run.requests()));
        report.figure("Application CPU per request by thread",
                ServerCpu.byThread(cpuWindow[0], cpuWindow[1], run.requests()));

        double p99 = run.overall().p99();
        boolean met = p99 <= TARGET_P99_MILLIS && run.failures() == 0;
        report.figure("Target p99 ≤ 25 ms with ≥ 300 patients", patients < 0 ? Report.verdict(met)
                        + " (patient count unknown)" : patients < TARGET_MIN_PATIENTS
                        ? "not applicable (fewer than 300 patients)" : Report.verdict(met))
                .note(schedule.describe() + "; query kinds equally likely, parameters drawn from the sample.");
        Report built = report.build();
        run.requireMostlySuccessful(built);
        warnOfFailures(run);
        return built;
    }

    /**
     * A probe (each query kind once, failing fast with the report so far when most are refused), a discarded
     * warm-up run, then the timed one: the JIT and PostgreSQL's caches settle first.
     */
    static SearchRun measure(FhirHttpClient client, SearchSample sample, SearchSchedule schedule,
                             Report.Builder soFar) throws Exception {
        return measure(client, sample, schedule, soFar, new ServerCpu(0, 0), new ServerCpu.Sample[2]);
    }

    /** As above, and the server's CPU ticks just before and just after the timed run into {@code cpuWindow}. */
    static SearchRun measure(FhirHttpClient client, SearchSample sample, SearchSchedule schedule,
                             Report.Builder soFar, ServerCpu cpu, ServerCpu.Sample[] cpuWindow) throws Exception {
        SearchMix mix = new SearchMix(sample);
        try {
            probe(client, mix, schedule.seed());
        } catch (BenchFailure e) {
            throw new BenchFailure(e.getMessage(), soFar.build());
        }
        if (!schedule.warmup().isZero()) {
            new SearchLoad(client, mix, schedule.concurrency(), schedule.seed() + 7).run(schedule.warmup());
        }
        cpuWindow[0] = cpu.sample();
        SearchRun run = new SearchLoad(client, mix, schedule.concurrency(), schedule.seed(), schedule.rate())
                .run(schedule.duration());
        cpuWindow[1] = cpu.sample();
        return run;
    }

    /** Each query kind once: a server that refuses most of them is reported at once, not after the full run. */
    static void probe(FhirHttpClient client, SearchMix mix, long seed) {
        Random random = new Random(seed);
        Map<SearchQuery, QueryTally> tallies = new EnumMap<>(SearchQuery.class);
        for (SearchQuery kind : SearchQuery.values()) {
            String url = mix.url(kind, random);
            QueryTally tally = new QueryTally();
            long sent = System.nanoTime();
            tally.record(url, client.get(url), System.nanoTime() - sent);
            tallies.put(kind, tally);
        }
        new SearchRun(tallies, 1, 1).requireMostlySuccessful(null);
    }

    /** Some failures do not void a run, but each failing query kind must be visible, with what the server said. */
    static void warnOfFailures(SearchRun run) {
        run.byQuery().forEach((kind, tally) -> {
            if (tally.firstFailure() != null) {
                System.err.println("WARNING " + kind.label() + ": " + tally.failed() + " of " + tally.requests()
                        + " failed; first: " + tally.firstFailure());
            }
        });
    }
}
