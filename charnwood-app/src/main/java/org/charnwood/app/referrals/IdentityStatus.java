package org.charnwood.app.referrals;

import org.hl7.fhir.r4.model.Resource;

/**
 * Whether a Patient or referral carries the identity the person gave without anyone having checked it: a
 * self-referral and the provisional Patient stored with it, until triage confirms who the person is.
 */
final class IdentityStatus {

    static final String UNVERIFIED = "unverified";

    private IdentityStatus() {
    }

    static boolean unverified(Resource resource) {
        return resource.getMeta().getTag(ReferralCodes.IDENTITY_STATUS, UNVERIFIED) != null;
    }
}
