package org.charnwood.app.security.breakglass;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether a reason for emergency access says something an information governance officer can judge. Its length is
 * counted with each run of spaces as one, so padding does not make a short reason long; it must be at least two words
 * (of two letters or more) and use at least five different letters or digits, so a row of one key ("aaaa...",
 * "....") is not a reason; and it may hold no control or invisible formatting characters (a NUL, a zero-width space),
 * which the reviewer could not see and the database would refuse. This cannot tell a true reason from a false one:
 * that is what the review is for; it only refuses what is plainly not a reason.
 */
final class StatedReason {

    private StatedReason() {
    }

    /** The reason as kept: trimmed, each run of white space one space. */
    static String normalised(String reason) {
        return reason == null ? "" : reason.strip().replaceAll("\\s+", " ");
    }

    /** Whether the text holds a character that is not visible text (other than white space). */
    static boolean hasHiddenCharacters(String reason) {
        return reason.codePoints().anyMatch(StatedReason::hidden);
    }

    /** The text without its hidden characters, for recording a refused attempt as it can be read. */
    static String withoutHiddenCharacters(String reason) {
        StringBuilder out = new StringBuilder(reason.length());
        reason.codePoints().filter(c -> !hidden(c)).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static boolean hidden(int c) {
        if (Character.isWhitespace(c)) {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.SURROGATE || type == Character.PRIVATE_USE;
    }

    /** Whether the normalised reason reads as words: two of them at least, not one key held down. */
    static boolean readsAsWords(String normalised) {
        int words = 0;
        for (String word : normalised.split(" ")) {
            if (word.codePoints().filter(Character::isLetter).count() >= 2) {
                words++;
            }
        }
        Set<Integer> distinct = new HashSet<>();
        normalised.toLowerCase(java.util.Locale.ROOT).codePoints().filter(Character::isLetterOrDigit)
                .forEach(distinct::add);
        return words >= 2 && distinct.size() >= 5;
    }
}
