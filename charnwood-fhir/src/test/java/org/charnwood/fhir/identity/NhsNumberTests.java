package org.charnwood.fhir.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NhsNumberTests {

    @ParameterizedTest
    @ValueSource(strings = {"9990000018", "9990000026", "9990000050", "9991234578"})
    void acceptsTestRangeNumbersWithTheRightCheckDigit(String number) {
        assertThat(NhsNumber.isValid(number)).isTrue();
        assertThat(new NhsNumber(number).value()).isEqualTo(number);
    }

    @Test
    void acceptsCheckDigitZeroWhenTheRemainderIsZero() {
        // 9,9,9,0,0,0,0,0,5 weighted 10..2 sum to 253 = 11 x 23, so the check digit is 0.
        assertThat(NhsNumber.isValid("9990000050")).isTrue();
        assertThat(NhsNumber.isValid("9990000051")).isFalse();
    }

    @Test
    void acceptsRepeatedDigitNumbersBecauseTheyPassTheChecksum() {
        // Implausible but checksum-valid; the Modulus 11 rule does not exclude them.
        assertThat(NhsNumber.isValid("9999999999")).isTrue();
    }

    @Test
    void refusesAWrongCheckDigit() {
        assertThat(NhsNumber.isValid("9990000017")).isFalse();
        assertThat(NhsNumber.problem("9990000017")).contains("must end in 8");
    }

    @Test
    void refusesATranspositionOfAdjacentDigits() {
        assertThat(NhsNumber.isValid("9990000081")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9991234560", "9991234561", "9991234565", "9991234569"})
    void refusesEveryNumberWhoseStemGivesCheckValueTen(String number) {
        assertThat(NhsNumber.isValid(number)).isFalse();
        assertThat(NhsNumber.problem(number)).contains("check value is 10");
    }

    @ParameterizedTest
    @ValueSource(strings = {"999000001", "99900000180", ""})
    void refusesTheWrongLength(String number) {
        assertThat(NhsNumber.isValid(number)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"99900000A8", "999-000-0018", "９９９０００００１８", "999000001.8"})
    void refusesAnythingButAsciiDigits(String number) {
        assertThat(NhsNumber.isValid(number)).isFalse();
    }

    @Test
    void refusesSpacesInAStoredValueButReadsThemWhenTyped() {
        assertThat(NhsNumber.isValid("999 000 0018")).isFalse();
        assertThat(NhsNumber.parse("999 000 0018")).contains(new NhsNumber("9990000018"));
        assertThat(NhsNumber.parse(" 9990000018 ")).contains(new NhsNumber("9990000018"));
        assertThat(NhsNumber.parse("999 000 0017")).isEmpty();
        assertThat(NhsNumber.parse(null)).isEmpty();
    }

    @Test
    void refusesNull() {
        assertThat(NhsNumber.isValid(null)).isFalse();
        assertThatThrownBy(() -> new NhsNumber(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructionRefusesAnInvalidNumberWithTheReason() {
        assertThatThrownBy(() -> new NhsNumber("9990000017"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("check digit");
    }

    @Test
    void displaysInThreeThreeFourGroups() {
        assertThat(new NhsNumber("9990000018").display()).isEqualTo("999 000 0018");
    }
}
