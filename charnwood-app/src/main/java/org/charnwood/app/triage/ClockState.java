package org.charnwood.app.triage;

/** Where a referral clock stands. */
public enum ClockState {
    /** Still running, within the first part of its target (before the near-breach threshold). */
    RUNNING("Running"),
    /** Still running, past the near-breach threshold but not yet past its target. */
    NEAR_BREACH("Near breach"),
    /** Stopped within its target. */
    MET("Met"),
    /** Past its target: stopped after it, or still running beyond it. */
    BREACHED("Breached");

    private final String label;

    ClockState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
