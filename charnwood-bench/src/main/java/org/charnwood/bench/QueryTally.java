package org.charnwood.bench;

import org.charnwood.bench.FhirHttpClient.Result;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** How one query kind fared in a search run: latencies, outcomes, and the first failure to show a reader. */
final class QueryTally {

    final LatencyStats latency = new LatencyStats();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong found = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    void record(String url, Result result, long nanos) {
        latency.record(nanos);
        if (result.ok()) {
            ok.incrementAndGet();
            // A searchset with at least one entry carries a "resource"; an empty one does not.
            if (result.body().contains("\"resource\"")) {
                found.incrementAndGet();
            }
        } else {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, "GET " + url + " -> " + result.describe());
        }
    }

    long requests() {
        return ok.get() + failed.get();
    }

    long failed() {
        return failed.get();
    }

    /** The share of successful searches that found at least one match, 0-100. */
    double foundPercent() {
        return ok.get() == 0 ? 0 : 100.0 * found.get() / ok.get();
    }

    /** The first non-2xx response, or {@code null}. */
    String firstFailure() {
        return firstFailure.get();
    }
}
