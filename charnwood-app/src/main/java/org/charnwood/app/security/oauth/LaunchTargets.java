package org.charnwood.app.security.oauth;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Encounter;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Whether a launch context names records that are there and that the member of staff may see: the patient typed
 * into the picker or sent by a staff page, and the encounter a staff page launches with, as one of that patient's.
 * The context is what the app is told it was opened on ({@code patient}, {@code encounter} in the token response):
 * an id with no record behind it, or an encounter of someone else's, would have the app show one patient's
 * encounter under another's banner, or nothing at all, with no error until it read the record.
 */
@Component
class LaunchTargets {

    private final FhirRepository repository;
    private final AccessPolicy policy;

    LaunchTargets(FhirRepository repository, AccessPolicy policy) {
        this.repository = repository;
        this.policy = policy;
    }

    /**
     * What is wrong with the patient of a context, in words for the member of staff; null when nothing is. The
     * patient must be one the person may look up (the policy's read of Patient, by their role: any patient's
     * demographics, less labels their role may not see): a launch is the person's own context, and the app would
     * otherwise be told a patient the person could not open, or one that is not there. A record hidden from them
     * is answered as one that is not there, so the answer reveals nothing.
     */
    String patientProblem(String patient, Requester staff) {
        String notThere = "No patient record you can open has the id " + patient;
        if (repository.existing(List.of("Patient/" + patient)).isEmpty()) {
            return notThere;
        }
        // The person's view, not the app's: the app that minted the launch (charnwood/launch) may hold no FHIR
        // scope at all, and the app launched is held to its own scopes when it reads.
        Requester person = new Requester(staff.kind(), staff.subject(), staff.fhirUser(), staff.roles(),
                staff.organisation(), null, List.of(), null, null, staff.sourceAddress(), staff.authenticatedAt(),
                staff.identityProofingLevel());
        try {
            repository.read("Patient", patient, policy.read(person, FhirAction.READ, "Patient").scope());
            return null;
        } catch (FhirException hiddenOrRefused) {
            return hiddenOrRefused.status() == 403 ? "Your role does not permit opening patient records" : notThere;
        }
    }

    /** What is wrong with the encounter of a context: not there, or not one of the patient's; null when nothing is. */
    String encounterProblem(String patient, String encounter) {
        if (encounter == null) {
            return null;
        }
        Encounter found;
        try {
            found = FhirContexts.r4().newJsonParser().parseResource(Encounter.class,
                    repository.read("Encounter", encounter).json());
        } catch (FhirException notThere) {
            return "No encounter has the id " + encounter;
        }
        return ("Patient/" + patient).equals(found.getSubject().getReference()) ? null
                : "Encounter " + encounter + " is not one of patient " + patient + "'s";
    }
}
