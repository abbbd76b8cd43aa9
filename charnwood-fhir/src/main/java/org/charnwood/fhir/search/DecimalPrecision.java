package org.charnwood.fhir.search;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The implicit range of a decimal written with a given precision: {@code 100} stands for
 * [99.5, 100.5], {@code 1.50} for [1.495, 1.505], {@code 1e2} for [50, 150].
 */
final class DecimalPrecision {

    /**
     * The most digits after the point a search value may have, as a stored decimal (the write checks in
     * PrimitiveFormats): beyond it the database's numbers, at most 16383 such digits, could not hold the bounds.
     */
    static final int MAX_PLACES = 6176;

    private DecimalPrecision() {
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
