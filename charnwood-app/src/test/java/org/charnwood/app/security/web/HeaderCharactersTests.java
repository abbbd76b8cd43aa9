package org.charnwood.app.security.web;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The firewall's header test agrees with the regular expressions it replaces, character by character. */
class HeaderCharactersTests {

    // Spring Security's StrictHttpFirewall defaults, the meaning HeaderCharacters must keep.
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsThePatternsJudgeIt() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue; // not a code point on its own; lone surrogates are covered below
            }
            String s = "a" + Character.toString(cp) + "b";
            assertThat(HeaderCharacters.NAME.test(s)).as("name U+%04X", cp).isEqualTo(NAME.matcher(s).matches());
            assertThat(HeaderCharacters.VALUE.test(s)).as("value U+%04X", cp).isEqualTo(VALUE.matcher(s).matches());
        }
    }

    @Test
    void randomStringsWithLoneSurrogatesTabsAndControlsAgreeToo() {
        Random random = new Random(7);
        char[] pool = {'a', 'Z', '0', ' ', '\t', '\n', '\u0000', '\u007f', '\u0085', '\u00e9', '\ud83d', '\ude00',
                '\udbff', '\udfff', '\uffff', '\u0378', '.', '='};
        for (int n = 0; n < 100_000; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(6); i > 0; i--) {
                s.append(pool[random.nextInt(pool.length)]);
            }
            String text = s.toString();
            assertThat(HeaderCharacters.NAME.test(text)).as(text).isEqualTo(NAME.matcher(text).matches());
            assertThat(HeaderCharacters.VALUE.test(text)).as(text).isEqualTo(VALUE.matcher(text).matches());
        }
    }

    @Test
    void anAccessTokenPasses() {
        String jwt = "Bearer eyJraWQiOiJjaGFybndvb2QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJudXJzZSJ9.c2lnbmF0dXJl-_";
        assertThat(HeaderCharacters.VALUE.test(jwt)).isTrue();
        assertThat(HeaderCharacters.NAME.test("Authorization")).isTrue();
        assertThat(HeaderCharacters.VALUE.test("a\u0085b")).isFalse();
    }
}
