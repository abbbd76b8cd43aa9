package org.charnwood.demo;

import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;

/**
 * One generated patient: the Patient and everything recorded about them, Patient first. Every resource has
 * its logical id set; references between them follow the {@link ReferenceStyle} it was generated with.
 */
public record PatientRecord(int index, NhsNumber nhsNumber, Patient patient, List<Resource> resources) {

    public PatientRecord {
        resources = List.copyOf(resources);
    }
}
