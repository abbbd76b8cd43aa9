package org.charnwood.bench;

import java.time.Duration;

/**
 * How a search run is driven: a discarded warm-up, then the timed part, by {@code concurrency} closed-loop
 * clients whose random choices start from {@code seed}.
 */
record SearchSchedule(Duration warmup, Duration duration, int concurrency, long seed) {

    SearchSchedule {
        if (concurrency < 1 || duration.isZero() || duration.isNegative() || warmup.isNegative()) {
            throw new IllegalArgumentException("a search run needs --concurrency ≥ 1, --duration > 0, --warmup ≥ 0");
        }
    }

    /** From {@code --warmup}, {@code --duration}, {@code --concurrency} and {@code --seed}, in seconds. */
    static SearchSchedule from(Options o, long defaultSeed) {
        return new SearchSchedule(Duration.ofSeconds(o.integer("warmup", 10)),
                Duration.ofSeconds(o.integer("duration", 60)), o.integer("concurrency", 4),
                o.integer("seed", (int) defaultSeed));
    }

    String describe() {
        return warmup.toSeconds() + " s warm-up (not counted), then " + duration.toSeconds() + " s at concurrency "
                + concurrency;
    }
}
