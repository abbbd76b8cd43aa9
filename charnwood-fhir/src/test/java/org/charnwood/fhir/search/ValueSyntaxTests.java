package org.charnwood.fhir.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValueSyntaxTests {

    @Test
    void splitsAtUnescapedSeparatorsOnly() {
        assertThat(ValueSyntax.split("a,b\\,c,d", ',')).containsExactly("a", "b\\,c", "d");
        assertThat(ValueSyntax.split("sys|co\\|de", '|')).containsExactly("sys", "co\\|de");
        assertThat(ValueSyntax.split("|code", '|')).containsExactly("", "code");
        assertThat(ValueSyntax.split("system|", '|')).containsExactly("system", "");
        assertThat(ValueSyntax.split("a\\\\,b", ',')).as("an escaped backslash does not escape the comma")
                .containsExactly("a\\\\", "b");
    }

    @Test
    void unescapesEveryEscapedCharacter() {
        assertThat(ValueSyntax.unescape("a\\,b\\|c\\$d\\\\e")).isEqualTo("a,b|c$d\\e");
        assertThat(ValueSyntax.unescape("plain")).isEqualTo("plain");
    }

    @Test
    void likeLiteralNeutralisesWildcards() {
        assertThat(ValueSyntax.likeLiteral("50%_off\\")).isEqualTo("50\\%\\_off\\\\");
    }

    @Test
    void prefixesAreRecognisedOnlyBeforeTheValue() {
        assertThat(SearchPrefix.split("ge2020")).isEqualTo(new SearchPrefix.Prefixed(SearchPrefix.GE, "2020"));
        assertThat(SearchPrefix.split("2020")).isEqualTo(new SearchPrefix.Prefixed(SearchPrefix.EQ, "2020"));
        assertThat(SearchPrefix.split("-5")).isEqualTo(new SearchPrefix.Prefixed(SearchPrefix.EQ, "-5"));
        assertThat(SearchPrefix.split("AP5")).isEqualTo(new SearchPrefix.Prefixed(SearchPrefix.AP, "5"));
        assertThat(SearchPrefix.split("xx5").prefix()).isEqualTo(SearchPrefix.EQ);
    }
}
