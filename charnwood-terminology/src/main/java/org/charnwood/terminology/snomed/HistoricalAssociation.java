package org.charnwood.terminology.snomed;

/**
 * An active historical association from an inactive concept: {@code refsetId} says which kind (SAME AS,
 * REPLACED BY, POSSIBLY EQUIVALENT TO ...), {@code kind} is its short name, {@code targetId} the concept to use.
 */
public record HistoricalAssociation(long refsetId, String kind, long targetId) {

    static String kindOf(long refsetId) {
        if (refsetId == SnomedIds.SAME_AS) {
            return "SAME AS";
        } else if (refsetId == SnomedIds.REPLACED_BY) {
            return "REPLACED BY";
        } else if (refsetId == SnomedIds.POSSIBLY_EQUIVALENT_TO) {
            return "POSSIBLY EQUIVALENT TO";
        } else if (refsetId == SnomedIds.WAS_A) {
            return "WAS A";
        } else if (refsetId == SnomedIds.ALTERNATIVE) {
            return "ALTERNATIVE";
        } else if (refsetId == SnomedIds.MOVED_TO) {
            return "MOVED TO";
        } else if (refsetId == SnomedIds.POSSIBLY_REPLACED_BY) {
            return "POSSIBLY REPLACED BY";
        } else if (refsetId == SnomedIds.PARTIALLY_EQUIVALENT_TO) {
            return "PARTIALLY EQUIVALENT TO";
        }
        return "ASSOCIATION " + refsetId;
    }
}
