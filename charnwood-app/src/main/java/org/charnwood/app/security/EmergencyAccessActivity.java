package org.charnwood.app.security;

import java.time.Instant;
import java.util.List;

/**
 * What a member of staff did with a patient's record under one break-glass grant, as the audit trail recorded it:
 * what an information governance officer reads before marking the grant reviewed. Implemented by the audit module.
 */
public interface EmergencyAccessActivity {

    /**
     * One access under the grant.
     *
     * @param when    when it happened
     * @param what    what they did, in plain English ("Viewed the patient's observations and measurements")
     * @param refused the access was refused (nothing was shown or changed)
     */
    record Access(Instant when, String what, boolean refused) {
    }

    /** Newest first, at most {@code max}. */
    List<Access> under(String grantId, String patientId, String fhirUser, int max);
}
