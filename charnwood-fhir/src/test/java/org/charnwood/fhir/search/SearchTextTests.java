package org.charnwood.fhir.search;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class SearchTextTests {

    @Test
    void normalisesCaseAndAccents() {
        assertThat(SearchText.normalise("Zoë MÜLLER-Ñúñez")).isEqualTo("zoe muller-nunez");
        assertThat(SearchText.normalise("O'Neill")).isEqualTo("o'neill");
        assertThat(SearchText.normalise("Ærø")).isEqualTo("ærø");
    }

    @Test
    void cutsLongValuesWithoutSplittingCharacters() {
        String longValue = "a".repeat(SearchText.MAX_INDEXED - 1) + "😀";
        assertThat(SearchText.normalise(longValue)).hasSize(SearchText.MAX_INDEXED - 1);
        assertThat(SearchText.normalise("b".repeat(1000))).hasSize(SearchText.MAX_INDEXED);
    }

    @Test
    void decimalsCarryTheirImplicitPrecision() {
        assertThat(DecimalPrecision.lo(new BigDecimal("100"))).isEqualByComparingTo("99.5");
        assertThat(DecimalPrecision.hi(new BigDecimal("100"))).isEqualByComparingTo("100.5");
        assertThat(DecimalPrecision.lo(new BigDecimal("1.50"))).isEqualByComparingTo("1.495");
        assertThat(DecimalPrecision.lo(new BigDecimal("1e2"))).isEqualByComparingTo("50");
        assertThat(DecimalPrecision.hi(new BigDecimal("1e2"))).isEqualByComparingTo("150");
    }
}
