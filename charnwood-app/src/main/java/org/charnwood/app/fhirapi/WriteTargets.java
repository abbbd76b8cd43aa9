package org.charnwood.app.fhirapi;

import org.charnwood.app.audit.PatientsConcerned;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.patch.FhirJsonPatch;
import org.charnwood.fhir.patch.JsonPatch;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The patients a write that failed would have changed, for its audit record: those the resource it sent refers to
 * (for a JSON Patch, those its values refer to) and those the resource it was aimed at holds data about (for a
 * conditional write, each resource its criteria match, hidden from the caller or not). A refused write is an
 * attempt at those patients' records and belongs in their access history although nothing was written.
 *
 * <p>Looked up only once a write has failed, and never fails itself: what cannot be found (a target that does not
 * exist, criteria that do not parse, a body that is not a resource) names no one, and the failure goes out as it
 * was.
 */
@Component
class WriteTargets {

    /** As many matches of a conditional write's criteria as a conditional delete may remove. */
    private static final int MATCHES = 100;

    private final FhirRepository repository;

    WriteTargets(FhirRepository repository) {
        this.repository = repository;
    }

    /**
     * A REST interaction that failed: the patients it would have changed, or for a read of one resource, those that
     * resource holds data about (none for other interactions).
     */
    Set<String> of(FhirCall call, String interaction) {
        Set<String> patients = new TreeSet<>();
        FhirRoute route = call.route();
        String type = route.type();
        switch (interaction) {
            case Interactions.CREATE -> sent(type, null, sentResource(call), patients);
            case Interactions.UPDATE -> {
                sent(type, route.id(), sentResource(call), patients);
                target(type, route.id(), patients);
            }
            case Interactions.CONDITIONAL_UPDATE -> {
                sent(type, null, sentResource(call), patients);
                matches(type, call.queryString(), patients);
            }
            case Interactions.PATCH -> {
                patch(call.bodyIfRead(), patients);
                target(type, route.id(), patients);
            }
            case Interactions.CONDITIONAL_PATCH -> {
                patch(call.bodyIfRead(), patients);
                matches(type, call.queryString(), patients);
            }
            case Interactions.DELETE -> target(type, route.id(), patients);
            case Interactions.CONDITIONAL_DELETE -> matches(type, call.queryString(), patients);
            // A read refused (the resource hidden from the caller) was an attempt at the record of the patient it
            // holds data about, as a refused write is: their access history shows it, and the caller learns nothing.
            case Interactions.READ, Interactions.VREAD, Interactions.HISTORY_INSTANCE ->
                    target(type, route.id(), patients);
            default -> {
            }
        }
        return patients;
    }

    /** Every write entry of a bundle that failed as a whole (a transaction, or a bundle refused before it ran). */
    Set<String> ofBundle(Bundle bundle) {
        Set<String> patients = new TreeSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            patients.addAll(ofEntry(entry));
        }
        return patients;
    }

    /** One write entry of a bundle that failed (none for a read, or an entry without a request). */
    Set<String> ofEntry(Bundle.BundleEntryComponent entry) {
        Set<String> patients = new TreeSet<>();
        if (!entry.hasRequest() || entry.getRequest().getMethod() == null || entry.getRequest().getUrl() == null) {
            return patients;
        }
        BundleEntryAccess.Target at = BundleEntryAccess.Target.of(entry.getRequest().getUrl());
        Resource sent = entry.getResource();
        switch (entry.getRequest().getMethod()) {
            case POST -> sent(at.type(), null, sent, patients);
            case PUT -> {
                sent(at.type(), at.id(), sent, patients);
                aimedAt(at, patients);
            }
            case PATCH -> {
                if (sent instanceof Binary binary && binary.hasData()) {
                    patch(new String(binary.getData(), StandardCharsets.UTF_8), patients);
                }
                aimedAt(at, patients);
            }
            case DELETE -> aimedAt(at, patients);
            default -> {
            }
        }
        return patients;
    }

    private void aimedAt(BundleEntryAccess.Target at, Set<String> into) {
        if (at.id() != null) {
            target(at.type(), at.id(), into);
        } else {
            matches(at.type(), at.query(), into);
        }
    }

    /** The body the REST write read, as a resource; null when it read none or it is not one. */
    private static Resource sentResource(FhirCall call) {
        if (call.bodyIfRead() == null) {
            return null;
        }
        try {
            return call.bodyResource();
        } catch (RuntimeException notAResource) {
            return null;
        }
    }

    /** The patients a resource sent refers to (a Patient sent to its own URL: itself). */
    private static void sent(String type, String id, Resource resource, Set<String> into) {
        if (resource == null) {
            return;
        }
        PatientsConcerned.collect(resource.fhirType(), resource.fhirType().equals(type) ? id : null,
                FhirContexts.r4().newJsonParser().encodeResourceToString(resource), into);
    }

    /** The patients a JSON Patch's values refer to. */
    private static void patch(String text, Set<String> into) {
        if (text == null) {
            return;
        }
        try {
            for (String reference : FhirJsonPatch.references(JsonPatch.parse(text))) {
                String patient = PatientsConcerned.patientOf(reference);
                if (patient != null) {
                    into.add(patient);
                }
            }
        } catch (RuntimeException notAPatch) {
            // Refused as malformed: it refers to no one we can tell.
        }
    }

    /** The patients the resource at {@code type/id} holds data about, as it stands. */
    private void target(String type, String id, Set<String> into) {
        if (type == null || id == null) {
            return;
        }
        try {
            StoredResource current = repository.read(type, id);
            PatientsConcerned.collect(current.type(), current.id(), current.json(), into);
        } catch (RuntimeException nothingThere) {
            // Not there (or deleted): the write would have created it, so only what it sent counts.
        }
    }

    /** The patients the resources a conditional write's criteria match hold data about. */
    private void matches(String type, String query, Set<String> into) {
        if (type == null || query == null || query.isBlank()) {
            return;
        }
        try {
            Map<String, List<String>> parameters = QueryStrings.parse(query);
            parameters.put("_count", List.of(Integer.toString(MATCHES)));
            for (StoredResource match : repository.search(new SearchRequest(type, parameters, false)).matches()) {
                PatientsConcerned.collect(match.type(), match.id(), match.json(), into);
            }
        } catch (RuntimeException unusableCriteria) {
            // Criteria the search refuses match nothing.
        }
    }
}
