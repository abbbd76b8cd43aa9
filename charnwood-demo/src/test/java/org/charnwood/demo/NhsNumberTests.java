package org.charnwood.demo;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NhsNumberTests {

    @Test
    void acceptsNumbersWhoseCheckDigitMatches() {
        assertThat(NhsNumber.isValid("9990000018")).isTrue();
        assertThat(NhsNumber.isValid("9434765919")).isTrue();
        assertThat(NhsNumber.isValid("9990000050")).as("remainder 0 gives check digit 0").isTrue();
    }

    @Test
    void refusesWrongCheckDigitsTranspositionsAndMalformedInput() {
        assertThat(NhsNumber.isValid("9434765918")).isFalse();
        assertThat(NhsNumber.isValid("9434765291")).isFalse();
        assertThat(NhsNumber.isValid("943476591")).isFalse();
        assertThat(NhsNumber.isValid("94347659A9")).isFalse();
        assertThat(NhsNumber.isValid("943 476 5919")).isFalse();
        assertThat(NhsNumber.isValid("９４３４７６５９１９")).as("full-width digits").isFalse();
        assertThat(NhsNumber.isValid(null)).isFalse();
    }

    @Test
    void refusesEveryNumberOfAStemWithNoCheckDigit() {
        for (int last = 0; last <= 9; last++) {
            assertThat(NhsNumber.isValid("999123456" + last)).isFalse();
        }
    }

    @Test
    void showsNumbersInThreeThreeFourGroups() {
        assertThat(new NhsNumber("9990000018").display()).isEqualTo("999 000 0018");
    }

    @Test
    void refusesToHoldAnInvalidNumber() {
        assertThatThrownBy(() -> new NhsNumber("9990000019")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givesEveryIndexOfADatasetADistinctValidTestRangeNumber() {
        BitSet seen = new BitSet(10_000_000);
        for (int i = 0; i < NhsNumber.TEST_RANGE_CAPACITY; i++) {
            String value = NhsNumber.testNumber(7, i).value();
            assertThat(value).startsWith("999");
            int low = Integer.parseInt(value.substring(3));
            assertThat(seen.get(low)).as("duplicate " + value).isFalse();
            seen.set(low);
        }
    }

    @Test
    void mapsIndexesDifferentlyForDifferentSeeds() {
        assertThat(NhsNumber.testNumber(1, 0)).isNotEqualTo(NhsNumber.testNumber(2, 0));
        assertThat(NhsNumber.testNumber(1, 0)).isEqualTo(NhsNumber.testNumber(1, 0));
    }

    @Test
    void refusesIndexesBeyondTheTestRangeCapacity() {
        assertThatThrownBy(() -> NhsNumber.testNumber(1, NhsNumber.TEST_RANGE_CAPACITY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
