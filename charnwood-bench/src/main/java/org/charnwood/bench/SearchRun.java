package org.charnwood.bench;

import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of one timed search run: a tally per query kind and the wall time it took, closed-loop at
 * {@code concurrency} or, when {@code rate} is above 0, open-loop at that many searches a second.
 */
record SearchRun(Map<SearchQuery, QueryTally> byQuery, long nanos, int concurrency, int rate) {

    SearchRun {
        byQuery = new EnumMap<>(byQuery);
    }

    SearchRun(Map<SearchQuery, QueryTally> byQuery, long nanos, int concurrency) {
        this(byQuery, nanos, concurrency, 0);
    }

    Percentiles overall() {
        LatencyStats all = new LatencyStats();
        byQuery.values().forEach(t -> all.addAll(t.latency));
        return all.percentiles();
    }

    long requests() {
        return byQuery.values().stream().mapToLong(QueryTally::requests).sum();
    }

    long failures() {
        return byQuery.values().stream().mapToLong(QueryTally::failed).sum();
    }

    double requestsPerSecond() {
        return requests() / (nanos / 1e9);
    }

    /** Adds the overall and per-query figures of this run to a report, each name prefixed by {@code label}. */
    void describe(Report.Builder report, String label) {
        report.figure(label + "Requests", Report.number(requests(), 0) + " in " + Report.number(nanos / 1e9, 1)
                        + " s " + (rate > 0 ? "open-loop at " + rate + " searches/s" : "at concurrency " + concurrency))
                .figure(label + "Requests/s", requestsPerSecond(), 1)
                .latency(label + "Overall latency", overall())
                .figure(label + "Errors (non-2xx)", Report.number(failures(), 0));
        byQuery.forEach((kind, tally) -> report.figure(label + kind.label(), tally.latency.percentiles().describe()
                + "; " + Report.number(tally.foundPercent(), 0) + "% found matches"
                + (tally.failed() > 0 ? "; **" + tally.failed() + " errors**" : "")));
    }

    /**
     * Refuses a run where most searches failed: a server answering 400 quickly is not a fast server.
     *
     * @throws BenchFailure naming each failing query kind's first error
     */
    void requireMostlySuccessful(Report partial) {
        if (failures() * 2 > requests()) {
            StringBuilder message = new StringBuilder(String.format(
                    "%,d of %,d searches failed; the figures mean nothing until they succeed.", failures(), requests()));
            byQuery.forEach((kind, tally) -> {
                if (tally.firstFailure() != null) {
                    message.append("\n  ").append(kind.label()).append(": ").append(tally.firstFailure());
                }
            });
            throw new BenchFailure(message.toString(), partial);
        }
    }
}
