package org.charnwood.app.security.web;

import java.util.function.Predicate;

/**
 * The request firewall's test of header names and values, with the same meaning as Spring Security's default
 * (every code point assigned and not a control character; a value may also hold tabs) but without a regular
 * expression: the firewall runs it on every header of every request, and on an access token of a thousand
 * characters the pattern cost more CPU than a small FHIR search's own work. Printable ASCII, nearly every
 * character ever sent, is decided by two comparisons.
 */
final class HeaderCharacters {

    /** Header names: assigned, not control characters. */
    static final Predicate<String> NAME = s -> allowed(s, false);

    /** Header values: assigned, not control characters other than tab. */
    static final Predicate<String> VALUE = s -> allowed(s, true);

    private HeaderCharacters() {
    }

    static boolean allowed(String s, boolean tab) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                continue;
            }
            if (c == '\t' && tab) {
                continue;
            }
            int cp = s.codePointAt(i);
            if (!Character.isDefined(cp) || Character.isISOControl(cp)) {
                return false;
            }
            i += Character.charCount(cp) - 1;
        }
        return true;
    }
}
