package org.charnwood.app.security.oauth;

import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Encounter;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Whether a launch context names records that are there: the patient a member of staff typed into the picker, and
 * the encounter a staff page launches with, as one of that patient's.
 * The context is what the app is told it was opened on ({@code patient}, {@code encounter} in the token response):
 * an id with no record behind it, or an encounter of someone else's, would have the app show one patient's
 * encounter under another's banner, or nothing at all, with no error until it read the record.
 */
@Component
class LaunchTargets {

    private final FhirRepository repository;

    LaunchTargets(FhirRepository repository) {
        this.repository = repository;
    }

    /** What is wrong with the patient of a context, in words for the member of staff; null when nothing is. */
    String patientProblem(String patient) {
        return repository.existing(List.of("Patient/" + patient)).isEmpty()
                ? "No patient record has the id " + patient : null;
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
