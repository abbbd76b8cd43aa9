package org.charnwood.terminology.snomed;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/** Splits terms and typed text into the same words: lower case, accents removed, letters and digits only. */
final class Terms {

    private Terms() {
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>(8);
        StringBuilder word = new StringBuilder(16);
        boolean ascii = true;
        for (int i = 0, n = text.length(); i <= n; i++) {
            char c = i < n ? text.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                word.append(Character.toLowerCase(c));
                ascii &= c < 128;
            } else if (!word.isEmpty()) {
                out.add(ascii ? word.toString() : fold(word.toString()));
                word.setLength(0);
                ascii = true;
            }
        }
        return out;
    }

    private static String fold(String word) {
        String decomposed = Normalizer.normalize(word, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
