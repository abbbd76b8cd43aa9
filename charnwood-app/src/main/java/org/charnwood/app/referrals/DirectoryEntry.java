package org.charnwood.app.referrals;

import java.util.List;

/**
 * A service as the public directory shows it.
 *
 * @param area       who it covers by where they live or are registered, in words (from the pathway's rules)
 * @param locations  where it is based: name and address
 * @param hours      opening hours in words
 * @param howToRefer the ways professionals refer
 */
record DirectoryEntry(String slug, String name, String division, String purpose, String whoFor, List<String> area,
                      List<String> locations, List<String> hours, String phone, List<String> howToRefer,
                      boolean selfReferral, List<String> postcodePrefixes) {

    /** Whether every word of the query is in what the entry says about the service. */
    boolean matchesWords(String query) {
        String text = String.join(" ", name, division == null ? "" : division, purpose == null ? "" : purpose,
                whoFor == null ? "" : whoFor).toLowerCase(java.util.Locale.ROOT);
        for (String word : query.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isBlank() && !text.contains(stem(word))) {
                return false;
            }
        }
        return true;
    }

    /** Whether someone living at the postcode is in the service's area (services without an area rule cover all). */
    boolean covers(String postcode) {
        return postcodePrefixes.isEmpty() || postcodePrefixes.stream().anyMatch(p -> PathwayCriteria.inArea(postcode, p));
    }

    /** A crude English stem so "memories" finds "memory" and "nursing" finds "nurse". */
    private static String stem(String word) {
        if (word.length() > 5 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3);
        }
        if (word.length() > 5 && word.endsWith("ing")) {
            return word.substring(0, word.length() - 3);
        }
        if (word.length() > 3 && word.endsWith("s")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
