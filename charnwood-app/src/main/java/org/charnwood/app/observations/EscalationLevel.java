package org.charnwood.app.observations;

/**
 * The rungs of the escalation chain for a deteriorating patient. An escalation starts with the nurse in charge
 * (the ward's, or in the community the patient's team's); unanswered or declined, it goes up to the doctor on
 * call or team lead, the top of the chain.
 */
enum EscalationLevel {
    NURSE_IN_CHARGE("nurse-in-charge", "Nurse in charge"),
    DOCTOR_ON_CALL("doctor-on-call", "Doctor on call or team lead");

    static final String SYSTEM = "https://charnwood.nhs.uk/fhir/CodeSystem/escalation-role";

    private final String code;
    private final String display;

    EscalationLevel(String code, String display) {
        this.code = code;
        this.display = display;
    }

    String code() {
        return code;
    }

    String display() {
        return display;
    }

    /** The next rung up; null at the top. */
    EscalationLevel next() {
        return this == NURSE_IN_CHARGE ? DOCTOR_ON_CALL : null;
    }

    static EscalationLevel ofCode(String code) {
        for (EscalationLevel level : values()) {
            if (level.code.equals(code)) {
                return level;
            }
        }
        return null;
    }
}
