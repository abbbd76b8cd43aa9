package org.charnwood.terminology.ecl;

import java.util.BitSet;

/** Counts the work of one evaluation against its budget and stops it when a limit is passed. */
final class CostMeter {

    /** Reading the clock costs more than a unit of work, so it is read every this many charges. */
    private static final int CLOCK_EVERY = 1024;

    private final EclBudget budget;
    private final long started;
    private final long timeLimitNanos;
    private long units;
    private int charges;

    CostMeter(EclBudget budget) {
        this.budget = budget;
        this.started = System.nanoTime();
        long nanos;
        try {
            nanos = budget.maxTime().toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        this.timeLimitNanos = nanos;
    }

    void charge(long work) {
        units += work;
        if (units > budget.maxWorkUnits() || units < 0) {
            throw new EclCostExceededException(EclCostExceededException.Limit.WORK_UNITS, budget.maxWorkUnits(),
                    units);
        }
        if (++charges % CLOCK_EVERY == 0 || work >= CLOCK_EVERY) {
            long elapsed = System.nanoTime() - started;
            if (elapsed > timeLimitNanos) {
                throw new EclCostExceededException(EclCostExceededException.Limit.TIME, budget.maxTime().toMillis(),
                        elapsed / 1_000_000);
            }
        }
    }

    BitSet checkResult(BitSet result) {
        int size = result.cardinality();
        if (size > budget.maxResultSize()) {
            throw new EclCostExceededException(EclCostExceededException.Limit.RESULT_SIZE, budget.maxResultSize(),
                    size);
        }
        return result;
    }

    long units() {
        return units;
    }
}
