package org.charnwood.bench;

import java.util.Locale;

/** A latency distribution in milliseconds, as reported: sample count, p50, p95, p99 and the worst. */
record Percentiles(int count, double p50, double p95, double p99, double max) {

    String describe() {
        if (count == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (max %.1f ms, n=%,d)",
                p50, p95, p99, max, count);
    }
}
