package org.charnwood.app.security;

import java.time.Instant;

/**
 * Emergency access to a patient's record granted to a member of staff without a legitimate relationship,
 * published inside the transaction that stores the grant, so that the audit trail's record of it as emergency
 * access commits with the grant or not at all: no grant can be used that the trail does not show.
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
