package org.charnwood.app.triage;

import java.time.Instant;

/**
 * Something recorded about a referral that may stop one of its clocks.
 *
 * @param at   when it happened (a contact's start, a decision's authored time)
 * @param kind what it was
 */
public record ClockEvent(Instant at, Kind kind) {

    /** The kinds of event the clocks tell apart. */
    public enum Kind {
        /** A triage decision (accepted, rejected, redirected or information requested). */
        TRIAGE_DECISION,
        /** An attended contact in person: a home visit ({@code HH}) or a clinic attendance ({@code AMB}). */
        FACE_TO_FACE_CONTACT,
        /** An attended telephone or video contact ({@code VR}). */
        VIRTUAL_CONTACT,
        /** Any other attended contact (an admission, an emergency attendance): a contact, not a home or clinic visit. */
        OTHER_CONTACT
    }
}
