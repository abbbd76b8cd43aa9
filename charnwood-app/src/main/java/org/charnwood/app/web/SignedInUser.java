package org.charnwood.app.web;

import org.charnwood.app.security.Requester;

/**
 * Who the header says is signed in.
 *
 * @param name      what to show: the person's FHIR reference until names are looked up, or the kind of caller
 * @param reference the caller as a FHIR reference ({@code Practitioner/staff-001}); null for a system caller
 */
public record SignedInUser(String name, String reference) {

    static SignedInUser of(Requester requester) {
        if (requester.fhirUser() != null) {
            return new SignedInUser(requester.fhirUser(), requester.fhirUser());
        }
        String name = switch (requester.kind()) {
            case SYSTEM -> "System access (no sign-in configured)";
            case ANONYMOUS -> "Not signed in";
            default -> requester.subject() == null ? "Unknown user" : requester.subject();
        };
        return new SignedInUser(name, null);
    }
}
