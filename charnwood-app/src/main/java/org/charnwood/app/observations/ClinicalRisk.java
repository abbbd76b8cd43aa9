package org.charnwood.app.observations;

/**
 * The NEWS2 clinical risk bands of the Royal College of Physicians' thresholds and triggers chart. The
 * monitoring interval is the chart's minimum frequency; for a total of 1–4 ("every 4–6 hours") the stricter
 * end is used, and high risk means continuous monitoring (no interval).
 */
public enum ClinicalRisk {
    LOW("Low"),
    LOW_MEDIUM("Low-medium"),
    MEDIUM("Medium"),
    HIGH("High");

    private final String label;

    ClinicalRisk(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether this level starts an escalation: medium and high, and a single parameter scoring 3. */
    public boolean escalates() {
        return this != LOW;
    }
}
