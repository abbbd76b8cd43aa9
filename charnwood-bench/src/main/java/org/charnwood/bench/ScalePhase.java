package org.charnwood.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Does search slow down as the record grows? Loads a small population by bulk import, runs the search mix,
 * grows the same dataset to the large size, runs the mix again, and compares p99. Wants an empty server.
 */
final class ScalePhase implements Phase {

    static final double TARGET_P99_RATIO = 1.5;

    private final FhirHttpClient client;
    private final int small;
    private final int large;
    private final Duration settle;
    private final SearchSchedule schedule;

    ScalePhase(FhirHttpClient client, int small, int large, Duration settle, SearchSchedule schedule) {
        if (small <= 0 || large <= small) {
            throw new IllegalArgumentException("scale needs 0 < --small < --large");
        }
        this.client = client;
        this.small = small;
        this.large = large;
        this.settle = settle;
        this.schedule = schedule;
    }

    static ScalePhase from(Options o) {
        o.allowOnly("base", "small", "large", "duration", "warmup", "settle", "concurrency", "seed");
        return new ScalePhase(new FhirHttpClient(o.text("base")), o.integer("small", 1_000),
                o.integer("large", 20_000), Duration.ofSeconds(o.integer("settle", 90)), SearchSchedule.from(o, 3));
    }

    @Override
    public Report run() throws Exception {
        SearchSampler sampler = new SearchSampler(client);
        long before = sampler.patientCount();
        PopulationSlice slices = new PopulationSlice(schedule.seed());
        try (ScratchFolder folder = ScratchFolder.create("charnwood-scale")) {
            Report.Builder report = Report.titled("Scale: search mix at " + Report.number(small, 0) + " and "
                    + Report.number(large, 0) + " patients");
            ImportOutcome firstLoad = load(slices, folder.path().resolve("small.ndjson"), 0, small);
            report.figure("Load to " + Report.number(small, 0) + " patients", describe(firstLoad));
            settle();
            SearchSample smallSample = sampler.sample();
            smallSample.notes().forEach(report::note);
            SearchRun smallRun = SearchPhase.measure(client, smallSample, schedule, report);
            smallRun.describe(report, "[" + Report.number(small, 0) + "] ");
            // No point growing the record when searches do not work: stop before the long load.
            smallRun.requireMostlySuccessful(report.build());

            ImportOutcome secondLoad = load(slices, folder.path().resolve("large.ndjson"), small, large);
            report.figure("Load to " + Report.number(large, 0) + " patients", describe(secondLoad));
            settle();
            SearchRun largeRun = SearchPhase.measure(client, sampler.sample(), schedule, report);
            largeRun.describe(report, "[" + Report.number(large, 0) + "] ");

            double ratio = largeRun.overall().p99() / smallRun.overall().p99();
            report.figure("p99 " + Report.number(large, 0) + " / p99 " + Report.number(small, 0),
                            Report.number(ratio, 2) + "×")
                    .figure("The same, per query", perQueryRatios(smallRun, largeRun))
                    .figure("Target ratio ≤ 1.5", Report.verdict(ratio <= TARGET_P99_RATIO
                            && smallRun.failures() == 0 && largeRun.failures() == 0))
                    .note("Seed " + schedule.seed() + "; both sizes are one dataset loaded in two bulk imports, so the small"
                            + " population is the first part of the large one.")
                    .note("Each run: " + settle.toSeconds() + " s idle after the load, " + schedule.describe()
                            + ", fresh sample each time.");
            if (before > 0) {
                report.note("The server held " + before + " patients before the first load, so the sizes are off.");
            }
            Report built = report.build();
            largeRun.requireMostlySuccessful(built);
            SearchPhase.warnOfFailures(smallRun);
            SearchPhase.warnOfFailures(largeRun);
            return built;
        }
    }

    /**
     * Waits, idle, after a load. Right after a bulk import PostgreSQL still plans with the statistics of the
     * smaller tables until autovacuum analyses them (within about a minute), and searches measured in that window
     * are several times slower than in steady service; the settle keeps that window out of the comparison. It
     * starts once the outbox relay has delivered the import's events.
     */
    private void settle() throws InterruptedException {
        // The relay delivers an import's own events after it ends: measuring alongside them would not be steady
        // service either.
        RelayBacklog backlog = RelayBacklog.fromEnvironment(client.base());
        if (backlog != null) {
            backlog.awaitSettled(Duration.ofMinutes(30));
        }
        Thread.sleep(settle.toMillis());
    }

    /** "1: 0.98×, 2: 1.10×, ..." so a single query that does not scale stands out from the overall figure. */
    static String perQueryRatios(SearchRun small, SearchRun large) {
        StringBuilder out = new StringBuilder();
        for (SearchQuery kind : SearchQuery.values()) {
            double ratio = large.byQuery().get(kind).latency.percentiles().p99()
                    / small.byQuery().get(kind).latency.percentiles().p99();
            out.append(out.isEmpty() ? "" : ", ").append(kind.ordinal() + 1).append(": ")
                    .append(Report.number(ratio, 2)).append('×');
        }
        return out.toString();
    }

    private ImportOutcome load(PopulationSlice slices, Path file, int from, int to) {
        long expected = slices.write(file, from, to);
        ImportOutcome outcome = ImportOutcome.send(client, open(file));
        if (outcome.imported() != expected) {
            throw new BenchFailure("The server imported " + outcome.imported() + " of " + expected + " resources");
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return outcome;
    }

    private static Supplier<InputStream> open(Path file) {
        return () -> {
            try {
                return Files.newInputStream(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    private static String describe(ImportOutcome load) {
        return Report.number(load.imported(), 0) + " resources in " + Report.number(load.seconds(), 1) + " s ("
                + Report.number(load.resourcesPerSecond(), 0) + " resources/s)";
    }
}
