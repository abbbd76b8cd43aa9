package org.charnwood.terminology.snomed;

import java.util.List;

/**
 * One concept found by typeahead: the description that matched best, the concept's preferred term, how well it
 * matched, and for an inactive concept the active concepts that replace it.
 */
public record SearchHit(long conceptId, long descriptionId, String term, String preferredTerm, Match match,
                        boolean active, List<Long> replacedBy) {

    /** Match quality, best first. */
    public enum Match {
        /** The term is the text typed (ignoring case, accents and punctuation). */
        EXACT,
        /** The term starts with the words typed, in order. */
        PREFIX,
        /** Every word typed starts a word of the term, in any order. */
        WORDS,
        /** Found only by allowing a small spelling difference. */
        FUZZY
    }
}
