package org.charnwood.app.audit;

import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.RelatedPerson;

import java.util.List;
import java.util.Optional;

/**
 * The people the audit trail points at, by name: the patients whose records were opened and the staff and carers who
 * opened them. Read without an access scope: the trail's readers (the patient, information governance) are entitled
 * to know who was involved, not to the records themselves. The trail outlives what it names, so a record that is gone
 * or unreadable gives no name, and the caller falls back to the reference.
 */
final class TrailNames {

    private final FhirRepository repository;

    TrailNames(FhirRepository repository) {
        this.repository = repository;
    }

    Optional<Patient> patient(String id) {
        return read("Patient", id).map(stored -> stored.parse(Patient.class));
    }

    /** The name on a Practitioner or RelatedPerson record (its official name first); empty for anything else. */
    Optional<String> personName(String reference) {
        int slash = reference.indexOf('/');
        String type = slash < 0 ? "" : reference.substring(0, slash);
        if (!type.equals("Practitioner") && !type.equals("RelatedPerson")) {
            return Optional.empty();
        }
        return read(type, reference.substring(slash + 1)).flatMap(stored -> {
            var parser = FhirContexts.r4().newJsonParser();
            List<HumanName> names = type.equals("Practitioner")
                    ? parser.parseResource(Practitioner.class, stored.json()).getName()
                    : parser.parseResource(RelatedPerson.class, stored.json()).getName();
            return name(names);
        });
    }

    /** A person's name from their names: the official one first, else the first; empty when there is none. */
    static Optional<String> name(List<HumanName> names) {
        return names.stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .or(() -> names.stream().findFirst()).map(HumanName::getNameAsSingleString)
                .filter(n -> !n.isBlank());
    }

    private Optional<StoredResource> read(String type, String id) {
        try {
            StoredResource stored = repository.read(type, id);
            return stored == null || stored.deleted() ? Optional.empty() : Optional.of(stored);
        } catch (FhirException e) {
            return Optional.empty();
        }
    }
}
