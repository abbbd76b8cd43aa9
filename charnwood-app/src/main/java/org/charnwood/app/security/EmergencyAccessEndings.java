package org.charnwood.app.security;

import java.time.Instant;

/**
 * When a person's emergency access to a patient ran out: for telling someone whose form was refused that their
 * access has ended, rather than that they never had it.
 */
public interface EmergencyAccessEndings {

    /** When the person's last emergency access to the patient ended, if it has and none is in force now; else null. */
    Instant endedFor(String fhirUser, String patientId, Instant now);
}
