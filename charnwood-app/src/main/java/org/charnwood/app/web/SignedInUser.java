package org.charnwood.app.web;

import org.charnwood.app.security.Activity;
import org.charnwood.app.security.Requester;
import org.hl7.fhir.r4.model.HumanName;

/**
 * Who the header says is signed in.
 *
 * @param name      what to show: the person's name from their Practitioner record, else their FHIR reference,
 *                  or the kind of caller
 * @param reference the caller as a FHIR reference ({@code Practitioner/staff-001}); null for a system caller
 * @param reviewsEmergencyAccess their role reviews emergency access (the menu offers the review list)
 * @param findsPatients          their role may see demographics, so the menu offers the patient search and the
 *                               lists of patients (caseload, wards, teams, run sheet, referrals); the other roles
 *                               would only be refused there
 */
public record SignedInUser(String name, String reference, boolean reviewsEmergencyAccess, boolean findsPatients) {

    static SignedInUser of(Requester requester, HumanName recordedName) {
        boolean reviews = requester.permits(Activity.AUDIT_REVIEW);
        boolean finds = requester.permits(Activity.VIEW_DEMOGRAPHICS);
        if (requester.fhirUser() != null) {
            String name = recordedName == null || recordedName.getNameAsSingleString().isBlank()
                    ? requester.fhirUser() : recordedName.getNameAsSingleString();
            return new SignedInUser(name, requester.fhirUser(), reviews, finds);
        }
        String name = switch (requester.kind()) {
            case SYSTEM -> "System access";
            case ANONYMOUS -> "Not signed in";
            default -> requester.subject() == null ? "Unknown user" : requester.subject();
        };
        return new SignedInUser(name, null, reviews, finds);
    }
}
