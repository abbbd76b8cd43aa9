package org.charnwood.fhir.search;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The implicit range of a decimal written with a given precision: {@code 100} stands for
 * [99.5, 100.5], {@code 1.50} for [1.495, 1.505], {@code 1e2} for [50, 150].
 */
final class DecimalPrecision {

    /**
     * The most digits after the point the index holds of a decimal, and a search value may have: the smallest
     * exponent of an IEEE 754 decimal128. A stored decimal with more is indexed rounded to this many (its text is
     * kept as written); the database's numbers could hold at most 16383.
     */
    static final int MAX_PLACES = 6176;

    /** The most digits before the point a search value may have, as a stored decimal (PrimitiveFormats). */
    static final int MAX_DIGITS = 1000;

    private DecimalPrecision() {
    }

    /**
     * The decimal as the index holds it: rounded (half even) to {@link #MAX_PLACES} places when it has more, so that
     * a decimal R4 allows is never refused for the index's sake. Its implicit range is then that of the rounded
     * value, which differs from the written one's only beyond the 6,176th place.
     */
    static BigDecimal indexed(BigDecimal value) {
        return value.scale() > MAX_PLACES ? value.setScale(MAX_PLACES, java.math.RoundingMode.HALF_EVEN) : value;
    }

    static BigDecimal halfStep(BigDecimal value) {
        return new BigDecimal(BigInteger.valueOf(5), value.scale() + 1);
    }

    static BigDecimal lo(BigDecimal value) {
        return value.subtract(halfStep(value));
    }

    static BigDecimal hi(BigDecimal value) {
        return value.add(halfStep(value));
    }
}
