package org.charnwood.app.security.accounts;

import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a password someone chooses would be guessed early: NCSC guidance is to block the passwords attackers try
 * first rather than to demand symbols and digits. zxcvbn estimates how many guesses a password takes against lists of
 * the most common passwords, names and English words, keyboard rows, repeats, sequences and dates, and against words
 * about the person and this service; a password it expects to fall within 10^10 guesses (its score below 3) is
 * refused, which no 12-character password from a few unconnected words or a password manager is.
 */
final class PasswordStrength {

    /** zxcvbn's scale is 0 to 4; 3 is "safely unguessable" against an online attack and most offline ones. */
    static final int LEAST_SCORE = 3;

    /** Words everyone here would try first, beside the person's own. */
    private static final List<String> SERVICE_WORDS = List.of("charnwood", "nhs", "trust", "password", "nurse",
            "doctor", "patient", "hospital", "health");

    /**
     * Only this many characters are measured: matching costs up to a second of CPU for a long password of many
     * substitutable characters, and a beginning that is hard to guess is all the strength needed. A longer password
     * whose first 64 characters are easily guessed is refused, which costs its owner nothing to fix.
     */
    static final int MEASURED_LENGTH = 64;

    /** Loads its word lists once; measuring is thread-safe, each call working on its own state. */
    private static final Zxcvbn ZXCVBN = new Zxcvbn();

    private PasswordStrength() {
    }

    /**
     * What is wrong with {@code password} for someone known by {@code username} and {@code displayName}, in words
     * that say what to do instead, or null when it is hard enough to guess.
     */
    static String weakness(String password, String username, String displayName) {
        List<String> about = new ArrayList<>(SERVICE_WORDS);
        about.add(username);
        if (displayName != null) {
            about.add(displayName);
            for (String part : displayName.split("[^\\p{L}\\p{N}]+")) {
                if (part.length() > 2) {
                    about.add(part);
                }
            }
        }
        Strength strength = ZXCVBN.measure(password.length() > MEASURED_LENGTH
                ? password.substring(0, MEASURED_LENGTH) : password, about);
        if (strength.getScore() >= LEAST_SCORE) {
            return null;
        }
        String warning = strength.getFeedback().getWarning(Locale.UK);
        return "Your new password is too easy to guess"
                + (warning == null || warning.isBlank() ? "" : " (" + warning.strip().replaceAll("\\.$", "") + ")")
                + ". Use three or four words that are not connected, or a password from a password manager";
    }
}
