package org.charnwood.app.audit;

import java.time.Instant;

/**
 * One line of a patient's "who has viewed my record" page, in plain English.
 *
 * @param when            when it happened
 * @param who             the person's name, or their role when the trust does not show staff names
 * @param role            what they are (for example "Nurse"), or "Carer"
 * @param organisation    the organisation they acted for; null when not recorded
 * @param what            what they did ("Viewed your observations")
 * @param refused         the access was refused (nothing was shown or changed)
 * @param failed          the attempt failed because of a fault in the system (AuditEvent outcome 8 or 12), not
 *                        because it was refused
 * @param emergency       made under break-glass (emergency access)
 * @param emergencyReason the reason they gave for emergency access; null when not found
 * @param id              the audit event's id (its place in the trail)
 * @param action          what kind of access it was: C, R, U, D or E (search or operation), as in AuditEvent.action
 */
public record RecordAccess(Instant when, String who, String role, String organisation, String what,
                           boolean refused, boolean failed, boolean emergency, String emergencyReason, String id, String action) {
}
