package org.charnwood.terminology.snomed;

import java.util.BitSet;

/**
 * A typeahead search: the text typed, how many concepts to return, and optional limits: a set of allowed
 * concept numbers (for example an ECL result, in {@link org.charnwood.terminology.ConceptGraph} numbering, not
 * changed by the search), a refset whose members only are wanted, and whether inactive concepts may be found
 * (they then come with their replacements).
 */
public record SearchRequest(String text, int limit, BitSet allowed, Long refsetId, boolean includeInactive) {

    public SearchRequest {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }

    public static SearchRequest of(String text, int limit) {
        return new SearchRequest(text, limit, null, null, false);
    }

    public SearchRequest within(BitSet allowedConcepts) {
        return new SearchRequest(text, limit, allowedConcepts, refsetId, includeInactive);
    }

    public SearchRequest inRefset(long refset) {
        return new SearchRequest(text, limit, allowed, refset, includeInactive);
    }

    public SearchRequest includingInactive() {
        return new SearchRequest(text, limit, allowed, refsetId, true);
    }
}
