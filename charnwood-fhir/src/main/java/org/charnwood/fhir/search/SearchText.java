package org.charnwood.fhir.search;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How strings are compared by default: case-insensitive and accent-insensitive ("Zoë" finds
 * "zoe"). The same function prepares stored values and search values, so both sides agree.
 */
final class SearchText {

    /** Longest indexed text: keeps every index entry well below PostgreSQL's b-tree row limit. */
    static final int MAX_INDEXED = 256;

    private SearchText() {
    }

    /** Lower case with combining accents removed, cut to {@link #MAX_INDEXED} characters. */
    static String normalise(String value) {
        return truncate(whole(value), MAX_INDEXED);
    }

    /**
     * Lower case with combining accents removed, however long: a string index row keeps it beside the cut value
     * when it is longer, so that {@code :contains} and a long prefix are matched on the whole of it.
     */
    static String whole(String value) {
        boolean ascii = true;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        String out;
        if (ascii) {
            out = value.toLowerCase(Locale.ROOT);
        } else {
            String decomposed = Normalizer.normalize(value, Normalizer.Form.NFD);
            StringBuilder sb = new StringBuilder(decomposed.length());
            for (int i = 0; i < decomposed.length(); i++) {
                char c = decomposed.charAt(i);
                if (Character.getType(c) != Character.NON_SPACING_MARK) {
                    sb.append(c);
                }
            }
            out = Normalizer.normalize(sb, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        }
        return out;
    }

    /** The whole normalised value when {@link #normalise} cuts it, else null: what a string row keeps as long. */
    static String beyondIndexed(String whole) {
        return truncate(whole, MAX_INDEXED).length() < whole.length() ? whole : null;
    }

    /** At most {@code max} characters, never splitting a surrogate pair. */
    static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }
}
