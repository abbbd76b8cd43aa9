package org.charnwood.app.rostering;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Practitioner;
import org.springframework.stereotype.Component;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names for the people a manager's page lists: from the staff register when recorded, else the Practitioner's
 * name, else the reference itself. Staff directory data, so not scoped by the clinical access policy.
 */
@Component
class StaffNames {

    private final StaffRecords register;
    private final FhirRepository repository;

    StaffNames(StaffRecords register, FhirRepository repository) {
        this.register = register;
        this.repository = repository;
    }

    Map<String, String> of(Collection<String> practitionerIds) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String id : practitionerIds) {
            names.computeIfAbsent(id, this::name);
        }
        return names;
    }

    private String name(String practitionerId) {
        return register.find(practitionerId).map(StaffRecords.Recorded::name).orElseGet(() -> {
            try {
                Practitioner practitioner = repository.read("Practitioner", practitionerId).parse(Practitioner.class);
                String name = practitioner.getNameFirstRep().getNameAsSingleString();
                return name == null || name.isBlank() ? "Practitioner/" + practitionerId : name;
            } catch (FhirException e) {
                return "Practitioner/" + practitionerId;
            }
        });
    }
}
