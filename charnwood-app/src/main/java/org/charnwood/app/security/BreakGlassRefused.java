package org.charnwood.app.security;

/**
 * A member of staff asked for emergency access to a patient's record and was refused: their role may not use it,
 * or the reason they gave would not do. Recorded as a failed security alert naming the patient, so that information
 * governance sees attempts as well as grants in the patient's trail, and the patient sees that someone tried.
 *
 * @param requester who asked
 * @param patientId the Patient they asked to open (one that exists)
 * @param reason    the reason they gave, as given (possibly empty)
 * @param refusal   why it was refused, in words
 */
public record BreakGlassRefused(Requester requester, String patientId, String reason, String refusal) {
}
