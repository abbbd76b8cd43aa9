package org.charnwood.app.rostering;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** The signed-in person as the rostering pages need them: their Practitioner id, and whether they manage. */
final class SignedInStaff {

    private SignedInStaff() {
    }

    /** The Practitioner id of the signed-in member of staff; 403 for anyone not linked to a Practitioner. */
    static String practitionerId(Requester requester) {
        String fhirUser = requester.fhirUser();
        if (requester.kind() != Requester.Kind.STAFF || fhirUser == null || !fhirUser.startsWith("Practitioner/")) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "The shift app is for staff with a staff record");
        }
        return fhirUser.substring("Practitioner/".length());
    }

    /** Rosters and request decisions are for nurse managers (ward sisters, team leads). */
    static void requireManager(Requester requester) {
        if (requester.kind() != Requester.Kind.STAFF || !requester.hasRole(AccessRole.NURSE_MANAGER)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Rosters are for nurse managers");
        }
    }

    static String actor(Requester requester) {
        return requester.fhirUser() != null ? requester.fhirUser() : "account/" + requester.subject();
    }
}
