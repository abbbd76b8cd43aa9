package org.charnwood.app.observations;

/**
 * The ACVPU scale, with the SNOMED CT value each level is recorded as (UK Core ACVPU value set). "New
 * confusion" means new or worse than the patient's usual state; long-standing confusion at baseline is Alert.
 */
public enum Consciousness {
    ALERT("248234008", "Mentally alert"),
    NEW_CONFUSION("130987000", "Acute confusion"),
    VOICE("300202002", "Responds to voice"),
    PAIN("450847001", "Responds to pain"),
    UNRESPONSIVE("422768004", "Unresponsive");

    /** The Observation code an ACVPU finding is recorded under. */
    public static final String OBSERVATION_CODE = "1104441000000107";
    public static final String OBSERVATION_DISPLAY = "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score";

    private final String snomedCode;
    private final String display;

    Consciousness(String snomedCode, String display) {
        this.snomedCode = snomedCode;
        this.display = display;
    }

    public String snomedCode() {
        return snomedCode;
    }

    public String display() {
        return display;
    }

    /** The level a SNOMED CT value code stands for; null when the code is not an ACVPU value. */
    public static Consciousness ofSnomed(String code) {
        for (Consciousness level : values()) {
            if (level.snomedCode.equals(code)) {
                return level;
            }
        }
        return null;
    }
}
