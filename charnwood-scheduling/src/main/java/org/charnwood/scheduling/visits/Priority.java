package org.charnwood.scheduling.visits;

/**
 * How soon a visit matters. The weights set how much leaving it out (medium level) and each minute past the start of
 * its window (soft level, in travel-second equivalents) cost, so urgent visits are placed first and early.
 */
public enum Priority {
    /** Two-hour urgent community response: the window is the two hours after the referral. */
    URGENT(20, 120),
    HIGH(5, 2),
    ROUTINE(1, 0);

    private final int unassignedWeight;
    private final int latenessWeightPerMinute;

    Priority(int unassignedWeight, int latenessWeightPerMinute) {
        this.unassignedWeight = unassignedWeight;
        this.latenessWeightPerMinute = latenessWeightPerMinute;
    }

    public int unassignedWeight() {
        return unassignedWeight;
    }

    public int latenessWeightPerMinute() {
        return latenessWeightPerMinute;
    }
}
