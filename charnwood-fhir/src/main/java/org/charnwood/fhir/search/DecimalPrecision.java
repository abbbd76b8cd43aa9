package org.charnwood.fhir.search;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The implicit range of a decimal written with a given precision: {@code 100} stands for
 * [99.5, 100.5], {@code 1.50} for [1.495, 1.505], {@code 1e2} for [50, 150].
 */
final class DecimalPrecision {

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
