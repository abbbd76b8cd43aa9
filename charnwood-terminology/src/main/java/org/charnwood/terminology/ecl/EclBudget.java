package org.charnwood.terminology.ecl;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one evaluation may cost before it is stopped with an {@link EclCostExceededException}.
 *
 * @param maxResultSize the most concepts the final result may hold (intermediate sets are bounded by the release
 *                      size and are paid for in work units instead)
 * @param maxWorkUnits  the most work: one unit for each concept or relationship the evaluation touches
 * @param maxTime       the longest wall-clock time one evaluation may take
 */
public record EclBudget(int maxResultSize, long maxWorkUnits, Duration maxTime) {

    public EclBudget {
        Objects.requireNonNull(maxTime);
        if (maxResultSize < 0 || maxWorkUnits < 0 || maxTime.isNegative()) {
            throw new IllegalArgumentException("budget limits cannot be negative");
        }
    }

    /**
     * The default for interactive use: a million concepts (more than any real value set, less than the whole of
     * SNOMED CT twice over), a hundred million work units and five seconds.
     */
    public static EclBudget standard() {
        return new EclBudget(1_000_000, 100_000_000L, Duration.ofSeconds(5));
    }

    /** No limits, for trusted batch work such as building a release index. */
    public static EclBudget unlimited() {
        return new EclBudget(Integer.MAX_VALUE, Long.MAX_VALUE, Duration.ofSeconds(Long.MAX_VALUE / 2_000_000_000L));
    }

    public EclBudget withMaxResultSize(int concepts) {
        return new EclBudget(concepts, maxWorkUnits, maxTime);
    }

    public EclBudget withMaxWorkUnits(long units) {
        return new EclBudget(maxResultSize, units, maxTime);
    }

    public EclBudget withMaxTime(Duration time) {
        return new EclBudget(maxResultSize, maxWorkUnits, time);
    }
}
