package org.charnwood.demo;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/** One coded concept: a code system, a code in it and the display we send with it. */
public record Code(String system, String code, String display) {

    public static final String SNOMED = "http://snomed.info/sct";
    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    /** dm+d as UK Core 2.0.2's UKCore-MedicationCode value set names it. */
    public static final String DMD = "https://dmd.nhs.uk";

    public static Code snomed(String code, String display) {
        return new Code(SNOMED, code, display);
    }

    public static Code loinc(String code, String display) {
        return new Code(LOINC, code, display);
    }

    public Coding coding() {
        return new Coding(system, code, display);
    }

    /** A fresh CodeableConcept each call: HAPI model objects are mutable and must not be shared between resources. */
    public CodeableConcept concept() {
        return new CodeableConcept(coding()).setText(display);
    }
}
