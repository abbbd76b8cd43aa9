package org.charnwood.fhir.bundle;

import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.nio.charset.StandardCharsets;

/** Request bundles and resources for the bundle tests. */
final class TestBundles {

    private TestBundles() {
    }

    static Bundle transaction(BundleEntryComponent... entries) {
        return bundle(BundleType.TRANSACTION, entries);
    }

    static Bundle batch(BundleEntryComponent... entries) {
        return bundle(BundleType.BATCH, entries);
    }

    static BundleEntryComponent post(String fullUrl, Resource resource) {
        BundleEntryComponent entry = entry(HTTPVerb.POST, resource.fhirType(), resource);
        if (fullUrl != null) {
            entry.setFullUrl(fullUrl);
        }
        return entry;
    }

    static BundleEntryComponent put(String url, Resource resource) {
        return entry(HTTPVerb.PUT, url, resource);
    }

    static BundleEntryComponent delete(String url) {
        return entry(HTTPVerb.DELETE, url, null);
    }

    static BundleEntryComponent get(String url) {
        return entry(HTTPVerb.GET, url, null);
    }

    static BundleEntryComponent patch(String url, String jsonPatch) {
        Binary binary = new Binary().setContentType("application/json-patch+json");
        binary.setData(jsonPatch.getBytes(StandardCharsets.UTF_8));
        return entry(HTTPVerb.PATCH, url, binary);
    }

    static BundleEntryComponent entry(HTTPVerb method, String url, Resource resource) {
        BundleEntryComponent entry = new BundleEntryComponent();
        entry.getRequest().setMethod(method).setUrl(url);
        if (resource != null) {
            entry.setResource(resource);
        }
        return entry;
    }

    static Patient patient(String family) {
        Patient patient = new Patient();
        patient.addName(new HumanName().setFamily(family).addGiven("Alex"));
        return patient;
    }

    static Patient patient(String id, String family) {
        Patient patient = patient(family);
        patient.setId(id);
        return patient;
    }

    static Observation observation(String subject) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().setText("pulse");
        observation.setSubject(new Reference(subject));
        return observation;
    }

    private static Bundle bundle(BundleType type, BundleEntryComponent... entries) {
        Bundle bundle = new Bundle().setType(type);
        for (BundleEntryComponent entry : entries) {
            bundle.addEntry(entry);
        }
        return bundle;
    }
}
