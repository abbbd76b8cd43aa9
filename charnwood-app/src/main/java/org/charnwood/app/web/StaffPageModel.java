package org.charnwood.app.web;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Practitioner;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Adds what the shared layout needs (the signed-in user) to every staff page. */
@ControllerAdvice(annotations = StaffPages.class)
class StaffPageModel {

    private final RequesterSource requesters;
    private final FhirRepository repository;

    StaffPageModel(RequesterSource requesters, FhirRepository repository) {
        this.requesters = requesters;
        this.repository = repository;
    }

    @ModelAttribute("signedInUser")
    SignedInUser signedInUser(HttpServletRequest request) {
        Requester requester = requesters.current(request);
        return SignedInUser.of(requester, practitionerName(requester.fhirUser()));
    }

    /**
     * The name on the person's own Practitioner record. Reading one's own Practitioner needs no care
     * relationship, so this read is not scoped; a missing or unreadable record just leaves the reference shown.
     */
    private HumanName practitionerName(String fhirUser) {
        if (fhirUser == null || !fhirUser.startsWith("Practitioner/")) {
            return null;
        }
        try {
            StoredResource stored = repository.read("Practitioner", fhirUser.substring("Practitioner/".length()));
            if (stored == null || stored.deleted()) {
                return null;
            }
            Practitioner practitioner = stored.parse(Practitioner.class);
            return practitioner.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                    .orElse(practitioner.getNameFirstRep().isEmpty() ? null : practitioner.getNameFirstRep());
        } catch (FhirException e) {
            return null;
        }
    }
}
