package org.charnwood.app.security.accounts;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

import java.util.List;
import java.util.Map;

/**
 * How far an external provider's sign-in can be trusted, read from what it asserted rather than what was asked for.
 *
 * <ul>
 *   <li><b>Patients (NHS login).</b> The level is the {@code vot} claim's identity part ({@code P9.Cp.Cd} is P9). A
 *       P9 identity counts as P9 only when the sign-in used a second factor ({@code Cd}, {@code Ck} or {@code Cm});
 *       a P9 person who signed in with a password alone counts as P5, which sees no record. Without {@code vot},
 *       {@code identity_proofing_level} is taken, as older providers send only that.</li>
 *   <li><b>Staff (CIS2).</b> The {@code acr} claim must be one of the accepted classes (by default any beginning
 *       AAL2 or AAL3); a sign-in with no {@code acr}, or a password-only one ({@code AAL1_USERPASS}), is refused.</li>
 *   <li><b>NHS numbers.</b> A person is linked to a Patient by NHS number only when the record's number is verified
 *       (UK Core NHS number verification status {@code 01}), so a number traced but not yet verified, or typed by
 *       someone, cannot hand a stranger the record.</li>
 * </ul>
 */
final class IdentityAssurance {

    static final String VERIFICATION_EXTENSION = org.charnwood.fhir.identity.NhsNumber.VERIFICATION_STATUS;
    private static final List<String> SECOND_FACTORS = List.of("Cd", "Ck", "Cm");

    private IdentityAssurance() {
    }

    /** P9, P5 or P0 (never null), as the sign-in proved it. */
    static String patientLevel(Map<String, Object> claims) {
        Object vot = claims.get("vot");
        if (vot != null && !vot.toString().isBlank()) {
            String[] parts = vot.toString().trim().split("\\.");
            String level = parts[0];
            if (!level.matches("P[059]")) {
                return "P0";
            }
            boolean secondFactor = java.util.Arrays.stream(parts).skip(1).anyMatch(SECOND_FACTORS::contains);
            return "P9".equals(level) && !secondFactor ? "P5" : level;
        }
        Object level = claims.get("identity_proofing_level");
        return level != null && level.toString().matches("P[059]") ? level.toString() : "P0";
    }

    /** Whether a member of staff's sign-in met one of the accepted classes of assurance. */
    static boolean staffAssured(Map<String, Object> claims, List<String> accepted) {
        Object acr = claims.get("acr");
        if (acr == null) {
            return false;
        }
        String met = acr.toString();
        return accepted.stream().anyMatch(met::startsWith);
    }

    /** Whether the Patient holds this NHS number with verification status 01 (number present and verified). */
    static boolean verifiedNhsNumber(Patient patient, String nhsNumber) {
        for (Identifier id : patient.getIdentifier()) {
            if (FederatedSignIn.NHS_NUMBER_SYSTEM.equals(id.getSystem()) && nhsNumber.equals(id.getValue())) {
                var status = id.getExtensionByUrl(VERIFICATION_EXTENSION);
                if (status != null && status.getValue() instanceof CodeableConcept concept) {
                    return concept.getCoding().stream().anyMatch(c -> "01".equals(c.getCode()));
                }
            }
        }
        return false;
    }
}
