package org.charnwood.terminology.dmd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a product name, or what someone typed, into the lower-case words typeahead matches on. Letters, digits
 * and decimal points stay together ("2.5mg"); everything else separates words, so "Co-amilofruse 5mg/40mg"
 * gives co, amilofruse, 5mg, 40mg and typing "co-amil" or "amilo" finds it.
 */
final class ProductWords {

    private ProductWords() {
    }

    static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            char c = i < lower.length() ? lower.charAt(i) : ' ';
            boolean part = Character.isLetterOrDigit(c) || c == '.' && start >= 0;
            if (part && start < 0) {
                start = i;
            } else if (!part && start >= 0) {
                String word = trimDots(lower.substring(start, i));
                if (!word.isEmpty()) {
                    words.add(word);
                }
                start = -1;
            }
        }
        return words;
    }

    private static String trimDots(String word) {
        int end = word.length();
        while (end > 0 && word.charAt(end - 1) == '.') {
            end--;
        }
        return word.substring(0, end);
    }
}
