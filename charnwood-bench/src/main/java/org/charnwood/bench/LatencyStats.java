package org.charnwood.bench;

import java.util.Arrays;

/** Latencies recorded by many threads, summarised as percentiles. Nanosecond samples, fixed capacity. */
final class LatencyStats {

    private long[] samples;
    private int size;

    LatencyStats(int capacity) {
        samples = new long[Math.max(16, capacity)];
    }

    synchronized void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized void addAll(LatencyStats other) {
        for (int i = 0; i < other.size; i++) {
            record(other.samples[i]);
        }
    }

    synchronized int count() {
        return size;
    }

    /** The given percentile (0-100) in milliseconds, nearest-rank. */
    synchronized double percentileMillis(double percentile) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1_000_000.0;
    }

    String summary() {
        return String.format("n=%d p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms", count(), percentileMillis(50),
                percentileMillis(95), percentileMillis(99), percentileMillis(100));
    }
}
