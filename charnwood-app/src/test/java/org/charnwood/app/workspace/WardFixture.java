package org.charnwood.app.workspace;

import org.charnwood.app.testing.FhirHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient in a bed on a ward, with a record to summarise: allergy, alert, problem, medication, a restricted
 * document, an inpatient episode cared for by the ward team (on which nurse {@code Practitioner/staff-001} is a
 * participant) and the current admission.
 */
final class WardFixture {

    private WardFixture() {
    }

    static void load(FhirHttp http) {
        put(http, "Practitioner/staff-001", """
                {"resourceType":"Practitioner","id":"staff-001","name":[{"family":"Nightingale","given":["Flo"]}]}""");
        put(http, "Organization/gp-1", """
                {"resourceType":"Organization","id":"gp-1","name":"Charnwood Medical Practice"}""");
        // The nurse is on the ward team caring for the patient's episode: her legitimate relationship.
        put(http, "CareTeam/team-ward-a", """
                {"resourceType":"CareTeam","id":"team-ward-a","status":"active","name":"Ward A team",
                 "participant":[{"member":{"reference":"Practitioner/staff-001"}}]}""");
        put(http, "Location/ward-a", """
                {"resourceType":"Location","id":"ward-a","status":"active","name":"Beaumont Ward",
                 "type":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"HU"}]}],
                 "physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"wa"}]}}""");
        put(http, "Location/bed-a-01", """
                {"resourceType":"Location","id":"bed-a-01","status":"active","name":"Beaumont Bed 01",
                 "physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"bd"}]},
                 "partOf":{"reference":"Location/ward-a"}}""");
        put(http, "Location/bed-a-02", """
                {"resourceType":"Location","id":"bed-a-02","status":"active","name":"Beaumont Bed 02",
                 "physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"bd"}]},
                 "partOf":{"reference":"Location/ward-a"}}""");
        put(http, "Patient/p1", """
                {"resourceType":"Patient","id":"p1",
                 "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}],
                 "name":[{"use":"official","family":"Marsh","given":["Edith"]}],"gender":"female",
                 "birthDate":"1941-03-15",
                 "address":[{"line":["12 Forest Road"],"city":"Loughborough","postalCode":"LE11 3NP"}],
                 "generalPractitioner":[{"reference":"Organization/gp-1"}]}""");
        put(http, "AllergyIntolerance/a1", """
                {"resourceType":"AllergyIntolerance","id":"a1","patient":{"reference":"Patient/p1"},
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
                 "code":{"text":"Penicillin"}}""");
        put(http, "Flag/f1", """
                {"resourceType":"Flag","id":"f1","status":"active","subject":{"reference":"Patient/p1"},
                 "code":{"text":"Falls risk"}}""");
        put(http, "Condition/c1", """
                {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
                 "code":{"text":"Chronic obstructive pulmonary disease"},"onsetDateTime":"2019-06-01"}""");
        put(http, "MedicationRequest/m1", """
                {"resourceType":"MedicationRequest","id":"m1","status":"active","intent":"order",
                 "subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"Salbutamol 100 micrograms inhaler"},
                 "dosageInstruction":[{"text":"Two puffs when required"}]}""");
        put(http, "DocumentReference/d1", """
                {"resourceType":"DocumentReference","id":"d1","status":"current","subject":{"reference":"Patient/p1"},
                 "type":{"text":"Discharge summary"},"description":"Discharge summary from respiratory ward",
                 "content":[{"attachment":{"contentType":"text/plain","data":"U3VtbWFyeQ=="}}],
                 "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]}}""");
        put(http, "EpisodeOfCare/e1", """
                {"resourceType":"EpisodeOfCare","id":"e1","status":"active","patient":{"reference":"Patient/p1"},
                 "type":[{"text":"Inpatient care"}],"team":[{"reference":"CareTeam/team-ward-a"}],
                 "period":{"start":"2026-11-20"}}""");
        put(http, "Encounter/stay", """
                {"resourceType":"Encounter","id":"stay","status":"in-progress",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
                 "type":[{"text":"Hospital admission"}],
                 "subject":{"reference":"Patient/p1"},"episodeOfCare":[{"reference":"EpisodeOfCare/e1"}],
                 "period":{"start":"2026-11-20T10:00:00+00:00"},
                 "location":[{"location":{"reference":"Location/ward-a"},"status":"active",
                   "physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"wa"}]}},
                  {"location":{"reference":"Location/bed-a-01"},"status":"active",
                   "physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"bd"}]}}]}""");
    }

    private static void put(FhirHttp http, String path, String json) {
        int status = http.put("/fhir/" + path, json, "application/fhir+json").status();
        assertThat(status).as("PUT " + path).isIn(200, 201);
    }
}
