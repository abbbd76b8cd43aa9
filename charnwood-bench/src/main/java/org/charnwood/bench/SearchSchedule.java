package org.charnwood.bench;

import java.time.Duration;

/**
 * How a search run is driven: a discarded warm-up by {@code concurrency} closed-loop clients, then the timed part,
 * with random choices starting from {@code seed}. With {@code rate} 0 the timed part is closed-loop too: the
 * clients send as fast as the server answers, so the percentiles measure a saturated server, where latency is
 * mostly queueing for CPU. With a {@code rate}, it is open-loop: searches are sent at that many a second whatever
 * the server does, and each latency runs from the moment its search was due, so a stall delays every search
 * due during it (no coordinated omission); the percentiles then measure what a caller sees at that load.
 */
record SearchSchedule(Duration warmup, Duration duration, int concurrency, long seed, int rate) {

    SearchSchedule {
        if (concurrency < 1 || duration.isZero() || duration.isNegative() || warmup.isNegative() || rate < 0) {
            throw new IllegalArgumentException(
                    "a search run needs --concurrency ≥ 1, --duration > 0, --warmup ≥ 0, --rate ≥ 0");
        }
    }

    SearchSchedule(Duration warmup, Duration duration, int concurrency, long seed) {
        this(warmup, duration, concurrency, seed, 0);
    }

    /** From {@code --warmup}, {@code --duration} (seconds), {@code --concurrency}, {@code --seed} and {@code --rate}. */
    static SearchSchedule from(Options o, long defaultSeed) {
        return new SearchSchedule(Duration.ofSeconds(o.integer("warmup", 10)),
                Duration.ofSeconds(o.integer("duration", 60)), o.integer("concurrency", 4),
                o.integer("seed", (int) defaultSeed), o.integer("rate", 0));
    }

    String describe() {
        return warmup.toSeconds() + " s warm-up (not counted), then " + duration.toSeconds() + " s "
                + (rate > 0 ? "open-loop at " + rate + " searches/s (latency from each search's due time)"
                : "at concurrency " + concurrency);
    }
}
