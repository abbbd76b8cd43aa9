package org.charnwood.bench;

import java.util.Arrays;

/** Latencies recorded by many threads, summarised as nearest-rank percentiles. Nanosecond samples, growable. */
final class LatencyStats {

    private long[] samples = new long[1024];
    private int size;

    synchronized void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    void addAll(LatencyStats other) {
        for (long sample : other.snapshot()) {
            record(sample);
        }
    }

    private synchronized long[] snapshot() {
        return Arrays.copyOf(samples, size);
    }

    synchronized int count() {
        return size;
    }

    synchronized Percentiles percentiles() {
        long[] sorted = snapshot();
        Arrays.sort(sorted);
        return new Percentiles(size, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), rank(sorted, 100));
    }

    /** The nearest-rank percentile (0-100) of sorted nanosecond samples, in milliseconds; NaN when empty. */
    static double rank(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1_000_000.0;
    }
}
