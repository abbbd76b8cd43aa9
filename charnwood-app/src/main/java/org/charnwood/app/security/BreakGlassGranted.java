package org.charnwood.app.security;

import java.time.Instant;

/**
 * Emergency access to a patient's record granted to a member of staff without a legitimate relationship,
 * published so that the audit trail records it as emergency access.
 *
 * @param grantId   identifies the grant, for the information governance review list
 * @param requester who asked
 * @param patientId the Patient resource id opened
 * @param reason    the reason they stated
 * @param expiresAt when the access ends
 * @param at        when it was granted
 */
public record BreakGlassGranted(String grantId, Requester requester, String patientId, String reason,
                                Instant expiresAt, Instant at) {
}
