package org.charnwood.app.security;

import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

import java.util.Optional;

/**
 * Records whose identity nobody has checked: a self-referral, and the provisional Patient stored with it, carry the
 * identity the person typed, tagged {@code identity-status#unverified}, until triage confirms who the person is. The
 * access policy lets such a referral open only its own provisional Patient, and whatever looks a person up by NHS
 * number (a sign-in, the audit trail) passes over provisional and replaced records.
 *
 * <p>The NHS number the person typed is kept on the provisional Patient as what they stated
 * ({@link #STATED_NHS_NUMBER}), never as an identifier: every identifier is searchable, and one in the national
 * system (or a search by its value alone) would let a look-up by NHS number, a conditional reference or a
 * conditional create find the provisional record beside the person's real one, treating a number anyone could type
 * as identity. Triage reads it to find the person's record, and a record confirmed as a new patient's gets it as
 * its national identifier.
 */
public final class ProvisionalRecords {

    /** The code system of the tag. */
    public static final String IDENTITY_STATUS = "https://charnwood.nhs.uk/fhir/CodeSystem/identity-status";
    public static final String UNVERIFIED = "unverified";
    /** The NHS number a person gave about themselves, unchecked: an extension, so no identifier search finds it. */
    public static final String STATED_NHS_NUMBER = "https://charnwood.nhs.uk/fhir/StructureDefinition/stated-nhs-number";

    private ProvisionalRecords() {
    }

    /** Whether the resource carries the identity the person gave, unchecked. */
    public static boolean unverified(Resource resource) {
        return resource.getMeta().getTag(IDENTITY_STATUS, UNVERIFIED) != null;
    }

    /** A Patient whose identity was confirmed and that has not been replaced by another (made inactive). */
    public static boolean confirmedAndActive(Patient patient) {
        return !unverified(patient) && (!patient.hasActive() || patient.getActive());
    }

    /** The NHS number the person gave, as ten digits, when they gave one. */
    public static Optional<String> statedNhsNumber(Patient patient) {
        Extension stated = patient.getExtensionByUrl(STATED_NHS_NUMBER);
        return stated != null && stated.getValue() instanceof StringType digits && digits.hasValue()
                ? Optional.of(digits.getValue()) : Optional.empty();
    }

    /** Keeps the NHS number the person gave (ten digits) on their provisional record. */
    public static void stateNhsNumber(Patient patient, String digits) {
        patient.getExtension().removeIf(e -> STATED_NHS_NUMBER.equals(e.getUrl()));
        patient.addExtension(STATED_NHS_NUMBER, new StringType(digits));
    }

    /** Drops the number the person gave, once the record carries it (or it is known to be wrong). */
    public static void forgetStatedNhsNumber(Patient patient) {
        patient.getExtension().removeIf(e -> STATED_NHS_NUMBER.equals(e.getUrl()));
    }
}
