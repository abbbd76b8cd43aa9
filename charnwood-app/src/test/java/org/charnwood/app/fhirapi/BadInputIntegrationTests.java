package org.charnwood.app.fhirapi;

import org.charnwood.app.repository.FhirSettings;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad requests get a clear 4xx OperationOutcome and write nothing (checked in the database). */
class BadInputIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirSettings settings;

    @Test
    void malformedJsonIsRefusedWith400() {
        Response r = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",", "application/fhir+json");

        assertRefused(r, 400, "could not be parsed");
    }

    @Test
    void malformedXmlIsRefusedWith400() {
        Response r = http.post("/fhir/Patient", "<Patient xmlns=\"http://hl7.org/fhir\"><name>", "application/fhir+xml");

        assertRefused(r, 400, "could not be parsed");
    }

    @Test
    void aBodyWhoseTypeDiffersFromTheUrlIsRefused() {
        Response r = http.post("/fhir/Observation", "{\"resourceType\":\"Patient\"}", "application/fhir+json");

        assertRefused(r, 400, "is a Patient but the URL is for Observation");
    }

    @Test
    void anUnknownResourceTypeInTheUrlIsRefused() {
        Response r = http.post("/fhir/Patients", "{\"resourceType\":\"Patient\"}", "application/fhir+json");

        assertRefused(r, 404, "'Patients' is not a FHIR R4 resource type");
    }

    @Test
    void anUnknownResourceTypeInTheBodyIsRefused() {
        Response r = http.post("/fhir/Patient", "{\"resourceType\":\"Patientx\"}", "application/fhir+json");

        assertThat(r.status()).isBetween(400, 422);
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void unknownElementsAreRefusedWith422NamingThem() {
        Response r = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"nickname\":\"Sam\"}",
                "application/fhir+json");

        assertRefused(r, 422, "nickname");
    }

    @Test
    void anImpossibleDateIsRefused() {
        Response r = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"birthDate\":\"2023-02-30\"}",
                "application/fhir+json");

        assertThat(r.status()).isIn(400, 422);
        assertThat(r.outcome().getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(rows("fhir_resource")).isZero();
    }

    @Test
    void aDanglingReferenceIsRefusedWith422() {
        Response r = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"Patient/nobody"}}""", "application/fhir+json");

        assertRefused(r, 422, "Patient/nobody");
    }

    @Test
    void aDanglingReferenceByThisServersAddressIsRefusedWith422() {
        String base = settings.serverBaseUrls().get(0);
        Response r = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"%s/Patient/nope"}}""".formatted(base), "application/fhir+json");

        assertRefused(r, 422, "Patient/nope");
    }

    @ParameterizedTest
    @ValueSource(strings = {"?identifier=x", "#p1", "/", "/extra", "/_history/1/extra"})
    void anAddressOnThisServerThatNamesNoResourceIsRefusedRatherThanStoredAsAnotherServers(String after) {
        String base = settings.serverBaseUrls().get(0);
        String patient = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.Patient.class).getIdElement().getIdPart();
        String reference = base + "/Patient/" + patient + after;

        Response r = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"%s"}}""".formatted(reference), "application/fhir+json");

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains(reference)
                .contains("names no resource");
        assertThat(jdbc.queryForObject("select count(*) from fhir_resource where res_type = 'Observation'",
                Long.class)).isZero();
    }

    @Test
    void aVersionOfAResourceNamedByThisServersAddressIsCheckedAndFoundByTheSubjectsSearches() {
        String base = settings.serverBaseUrls().get(0);
        String patient = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.Patient.class).getIdElement().getIdPart();

        Response unwritten = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"%s/Patient/%s/_history/2"}}""".formatted(base, patient),
                "application/fhir+json");
        Response written = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"%s/Patient/%s/_history/1"}}""".formatted(base, patient),
                "application/fhir+json");

        assertThat(unwritten.status()).as(unwritten.body()).isEqualTo(422);
        assertThat(written.status()).as(written.body()).isEqualTo(201);
        String id = written.resource(org.hl7.fhir.r4.model.Observation.class).getIdElement().getIdPart();
        assertThat(http.get("/fhir/Observation?subject=Patient/" + patient).body()).contains(id);
        assertThat(http.get("/fhir/Patient/" + patient + "/$everything").body()).contains(id);
    }

    @Test
    void aBodyOverTheConfiguredSizeIsRefusedWith413() {
        String big = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}]}";

        Response r = http.post("/fhir/Patient", big, "application/fhir+json");

        assertRefused(r, 413, "larger than");
    }

    @Test
    void anEmptyBodyIsRefused() {
        assertRefused(http.post("/fhir/Patient", "", "application/fhir+json"), 400, "no body");
    }

    @Test
    void anUnsupportedContentTypeIsRefusedWith415() {
        assertRefused(http.post("/fhir/Patient", "name=x", "text/plain"), 415, "not supported");
    }

    @Test
    void anUnsupportedFormatIsRefusedWith406() {
        assertThat(http.get("/fhir/Patient?_format=csv").status()).isEqualTo(406);
    }

    @Test
    void updateWithoutAnIdInTheBodyOrWithADifferentIdIsRefused() {
        assertRefused(http.put("/fhir/Patient/abc", "{\"resourceType\":\"Patient\"}", "application/fhir+json"),
                400, "must carry the resource id");
        assertRefused(http.put("/fhir/Patient/abc", "{\"resourceType\":\"Patient\",\"id\":\"xyz\"}",
                "application/fhir+json"), 400, "has id xyz");
    }

    @Test
    void deletingAResourceOthersReferToIsRefusedWith409() {
        Response patient = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}", "application/fhir+json");
        String id = patient.resource(org.hl7.fhir.r4.model.Patient.class).getIdElement().getIdPart();
        http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "subject":{"reference":"Patient/%s"}}""".formatted(id), "application/fhir+json");

        Response r = http.delete("/fhir/Patient/" + id);

        assertRefused(r, 409, "refer to it");
    }

    @Test
    void deletingAResourceReferredToWhereNoSearchParameterLooksIsRefusedWith409() {
        Response employer = http.post("/fhir/Organization", "{\"resourceType\":\"Organization\",\"name\":\"Employer\"}",
                "application/fhir+json");
        String id = employer.resource(org.hl7.fhir.r4.model.Organization.class).getIdElement().getIdPart();
        Response patient = http.post("/fhir/Patient", """
                {"resourceType":"Patient","contact":[{"organization":{"reference":"Organization/%s"}}]}"""
                .formatted(id), "application/fhir+json");
        assertThat(patient.status()).as(patient.body()).isEqualTo(201);

        Response r = http.delete("/fhir/Organization/" + id);

        assertRefused(r, 409, "refer to it");
    }

    private void assertRefused(Response r, int status, String message) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/fhir+json");
        OperationOutcome oo = r.outcome();
        assertThat(oo.getIssue()).isNotEmpty();
        assertThat(oo.getIssue()).anyMatch(i -> i.getDiagnostics() != null && i.getDiagnostics().contains(message));
        assertThat(oo.getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).startsWith("CHARNWOOD-");
        assertThat(rows("fhir_resource")).as("nothing written").isLessThanOrEqualTo(2);
        if (status != 409) {
            assertThat(rows("fhir_resource")).isZero();
            assertThat(rows("fhir_outbox")).isZero();
        }
    }
}
