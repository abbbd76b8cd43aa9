package org.charnwood.terminology.dmd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProductWordsTests {

    @Test
    void splitsNamesAtPunctuationButKeepsDecimalStrengthsWhole() {
        assertThat(ProductWords.of("Co-amilofruse 2.5mg/20mg tablets"))
                .containsExactly("co", "amilofruse", "2.5mg", "20mg", "tablets");
    }

    @Test
    void lowerCasesAndDropsTrailingFullStops() {
        assertThat(ProductWords.of("Mawdsley-Brooks & Company Ltd.")).containsExactly("mawdsley", "brooks",
                "company", "ltd");
    }

    @Test
    void givesNothingForBlankText() {
        assertThat(ProductWords.of("  / - ")).isEmpty();
    }
}
