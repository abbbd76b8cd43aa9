package org.charnwood.app.security;

import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * Records whose identity nobody has checked: a self-referral, and the provisional Patient stored with it, carry the
 * identity the person typed, tagged {@code identity-status#unverified}, until triage confirms who the person is. The
 * access policy lets such a referral open only its own provisional Patient, and whatever looks a person up by NHS
 * number (a sign-in, the audit trail) passes over provisional and replaced records.
 */
public final class ProvisionalRecords {

    /** The code system of the tag. */
    public static final String IDENTITY_STATUS = "https://charnwood.nhs.uk/fhir/CodeSystem/identity-status";
    public static final String UNVERIFIED = "unverified";

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
}
