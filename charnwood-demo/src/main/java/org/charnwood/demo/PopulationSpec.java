package org.charnwood.demo;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What population to generate: how many patients, from which seed, and which day counts as "today" (history
 * lies before it, booked appointments after it). The same spec always gives the same data.
 *
 * @param count number of patients, at most {@link NhsNumber#TEST_RANGE_CAPACITY}
 * @param seed  the dataset seed
 * @param today the reference date; benchmarks keep {@link #DEFAULT_TODAY}, a demo system passes the real date
 */
public record PopulationSpec(int count, long seed, LocalDate today) {

    /** A fixed reference date, so that benchmark datasets are identical whenever they are generated. */
    public static final LocalDate DEFAULT_TODAY = LocalDate.of(2025, 6, 30);

    public PopulationSpec {
        Objects.requireNonNull(today, "today");
        if (count < 0 || count > NhsNumber.TEST_RANGE_CAPACITY) {
            throw new IllegalArgumentException("count must be between 0 and " + NhsNumber.TEST_RANGE_CAPACITY);
        }
    }

    public static PopulationSpec of(int count, long seed) {
        return new PopulationSpec(count, seed, DEFAULT_TODAY);
    }
}
