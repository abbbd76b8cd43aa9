package org.charnwood.app.web;

import org.charnwood.app.security.Requester;
import org.hl7.fhir.r4.model.HumanName;

/**
 * Who the header says is signed in.
 *
 * @param name      what to show: the person's name from their Practitioner record, else their FHIR reference,
 *                  or the kind of caller
 * @param reference the caller as a FHIR reference ({@code Practitioner/staff-001}); null for a system caller
 */
public record SignedInUser(String name, String reference) {

    static SignedInUser of(Requester requester, HumanName recordedName) {
        if (requester.fhirUser() != null) {
            String name = recordedName == null || recordedName.getNameAsSingleString().isBlank()
                    ? requester.fhirUser() : recordedName.getNameAsSingleString();
            return new SignedInUser(name, requester.fhirUser());
        }
        String name = switch (requester.kind()) {
            case SYSTEM -> "System access";
            case ANONYMOUS -> "Not signed in";
            default -> requester.subject() == null ? "Unknown user" : requester.subject();
        };
        return new SignedInUser(name, null);
    }
}
