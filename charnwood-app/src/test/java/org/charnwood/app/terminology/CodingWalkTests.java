package org.charnwood.app.terminology;

import org.charnwood.app.terminology.binding.CodingWalk;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CodingWalkTests {

    @Test
    void findsEveryCodingWithItsFhirPath() {
        Condition c = new Condition();
        c.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "22298006", null))
                .addCoding(new Coding("http://read.info/ctv3", "X200E", null)));
        c.addBodySite(new CodeableConcept(new Coding("http://snomed.info/sct", "80891009", null)));
        assertThat(CodingWalk.codings(c)).extracting(CodingWalk.Found::path).containsExactlyInAnyOrder(
                "Condition.code.coding[0]", "Condition.code.coding[1]", "Condition.bodySite[0].coding[0]");
        assertThat(CodingWalk.codings(c)).noneMatch(CodingWalk.Found::medication);
    }

    @Test
    void marksMedicationCodesIncludingContainedMedications() {
        MedicationRequest request = new MedicationRequest();
        request.setMedication(new CodeableConcept(new Coding("https://dmd.nhs.uk", "318135008", null)));
        Medication contained = new Medication();
        contained.setId("m1");
        contained.setCode(new CodeableConcept(new Coding("https://dmd.nhs.uk", "34186711000001102", null)));
        request.addContained(contained);
        assertThat(CodingWalk.codings(request)).filteredOn(CodingWalk.Found::medication)
                .extracting(CodingWalk.Found::path).containsExactlyInAnyOrder(
                        "MedicationRequest.medicationCodeableConcept.coding[0]",
                        "MedicationRequest.contained[0].code.coding[0]");
    }

    @Test
    void skipsEmptyCodingsAndElementsHoldingNothingButKeepsTheirPositions() {
        Condition c = new Condition();
        c.addBodySite(new CodeableConcept().addCoding(new Coding()));
        c.addBodySite(new CodeableConcept(new Coding("http://snomed.info/sct", "80891009", null)));
        c.setCode(new CodeableConcept().addCoding(new Coding()).addCoding(new Coding("http://snomed.info/sct",
                "22298006", null)));
        assertThat(CodingWalk.codings(c)).extracting(CodingWalk.Found::path).containsExactlyInAnyOrder(
                "Condition.code.coding[1]", "Condition.bodySite[1].coding[0]");
    }
}
