package org.charnwood.app.workspace;

import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads resources for the pages through the repository, parsed into the HAPI model. */
@Component
class ClinicalRecord {

    static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    private final FhirRepository repository;

    ClinicalRecord(FhirRepository repository) {
        this.repository = repository;
    }

    <T extends Resource> Optional<T> read(String type, String id, Class<T> model) {
        try {
            StoredResource stored = repository.read(type, id);
            return stored == null || stored.deleted() ? Optional.empty() : Optional.of(parse(stored, model));
        } catch (FhirException e) {
            if (e.status() == 404 || e.status() == 410) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Searches with the given parameters (name, value pairs; a value may be comma-separated ORs).
     */
    <T extends Resource> List<T> search(String type, Class<T> model, String... nameValues) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parameters.computeIfAbsent(nameValues[i], k -> new java.util.ArrayList<>()).add(nameValues[i + 1]);
        }
        return repository.search(new SearchRequest(type, parameters, false)).matches().stream()
                .filter(s -> !s.deleted()).map(s -> parse(s, model)).toList();
    }

    /** Whether any of the patient's resources of these types is labelled restricted (R) or very restricted (V). */
    boolean hasRestricted(String patientReference, String... types) {
        for (String type : types) {
            String parameter = "Patient".equals(type) ? "_id" : "patient";
            String value = "Patient".equals(type) ? patientReference.substring("Patient/".length()) : patientReference;
            Map<String, List<String>> parameters = new LinkedHashMap<>();
            parameters.put(parameter, List.of(value));
            parameters.put("_security", List.of(CONFIDENTIALITY + "|R," + CONFIDENTIALITY + "|V"));
            parameters.put("_count", List.of("1"));
            if (!repository.search(new SearchRequest(type, parameters, false)).matches().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    static <T extends Resource> T parse(StoredResource stored, Class<T> model) {
        T resource = FhirContexts.r4().newJsonParser().parseResource(model, stored.json());
        resource.setId(stored.id());
        return resource;
    }
}
