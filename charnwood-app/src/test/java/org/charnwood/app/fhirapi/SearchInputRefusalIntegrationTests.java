package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search requests a server cannot honour as sent are refused over HTTP with an OperationOutcome that says what to
 * fix, never answered as if they asked for something else, and never a server error.
 */
class SearchInputRefusalIntegrationTests extends CharnwoodIntegrationTest {

    @Test
    void aSearchByPostWhoseBodyIsNotAFormIsRefusedWith415() {
        http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Modi\"}]}",
                "application/fhir+json");
        http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Other\"}]}",
                "application/fhir+json");

        Response json = http.post("/fhir/Patient/_search", "{\"family\":\"Modi\"}", "application/json");
        Response system = http.post("/fhir/_search", "{\"_type\":\"Patient\"}", "application/fhir+json");
        Response audit = http.post("/fhir/AuditEvent/_search", "patient=x", "text/plain");

        assertThat(json.status()).as(json.body()).isEqualTo(415);
        assertThat(json.outcome().getIssueFirstRep().getDiagnostics()).contains("application/x-www-form-urlencoded");
        assertThat(system.status()).isEqualTo(415);
        assertThat(audit.status()).isEqualTo(415);
        // A form body, or criteria in the URL with no body, are searched as before.
        assertThat(http.post("/fhir/Patient/_search", "family=Modi", "application/x-www-form-urlencoded; charset=UTF-8")
                .bundle().getEntry()).hasSize(1);
        assertThat(http.post("/fhir/Patient/_search?family=Modi", null, null).bundle().getEntry()).hasSize(1);
    }

    @Test
    void nulCharactersAndBrokenEncodingsInSearchesAreRefusedWith400NamingTheParameter() {
        assertRefused(http.get("/fhir/Patient?name=%00"), "name");
        assertRefused(http.get("/fhir/Patient?family:exact=a%00b"), "family:exact");
        assertRefused(http.get("/fhir/Observation?code=x%00"), "code");
        assertRefused(http.get("/fhir/Patient?_id=%00"), "_id");
        assertRefused(http.get("/fhir/Patient?_tag=%00"), "_tag");
        assertRefused(http.get("/fhir/AuditEvent?agent=%00"), "agent");
        assertRefused(http.post("/fhir/Patient/_search", "name=%00", "application/x-www-form-urlencoded"), "name");
        assertRefused(http.post("/fhir/Basic", "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}}",
                "application/fhir+json", "If-None-Exist", "identifier=a%00b"), "identifier");
        assertRefused(http.get("/fhir/Patient?name=%C0"), "name");
        assertRefused(http.get("/fhir/Patient?na%C0me=x"), "na%C0me");
        assertRefused(http.post("/fhir/Basic", "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"x\"}}",
                "application/fhir+json", "If-None-Exist", "identifier=%C0"), "identifier");

        Response write = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"a\\u0000b\"}]}",
                "application/fhir+json");
        assertThat(write.status()).as(write.body()).isIn(400, 422);
    }

    @Test
    void decimalsTooSmallToStoreAreRefusedAsTooLargeOnesAre() {
        assertRefused(http.get("/fhir/RiskAssessment?probability=1e-17000"), "probability");
        assertRefused(http.get("/fhir/Observation?value-quantity=gt1e-17000"), "value-quantity");
        assertRefused(http.get("/fhir/RiskAssessment?probability=1e200000"), "probability");
        assertThat(http.get("/fhir/RiskAssessment?probability=1e-17").status()).isEqualTo(200);

        Response write = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"tiny"},
                 "valueQuantity":{"value":1e-17000}}""", "application/fhir+json");
        assertThat(write.status()).as(write.body()).isEqualTo(422);
        assertThat(write.outcome().getIssueFirstRep().getDiagnostics()).contains("decimal");
    }

    @Test
    void anImpossibleDateIsRefusedInFhirsTermsRatherThanJavas() {
        for (String search : new String[] {"/fhir/Patient?birthdate=2024-13-01",
                "/fhir/Patient?_lastUpdated=gt2024-01-01T25:00:00Z"}) {
            Response r = http.get(search);

            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("is not a valid date")
                    .contains("months run 01 to 12").doesNotContain("MonthOfYear").doesNotContain("HourOfDay");
        }
    }

    @Test
    void modifiersAndIncludeTargetsThatCannotApplyAreRefused() {
        assertRefused(http.get("/fhir/Observation?code:of-type=a%7Cb%7Cc"), "code:of-type");
        assertThat(http.get("/fhir/Patient?identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203%7CMR%7C1")
                .status()).isEqualTo(200);
        assertRefused(http.get("/fhir/Observation?_include=Observation:subject:Practitioner"), "_include");
        assertRefused(http.get("/fhir/Patient?_revinclude=Observation:patient:Group"), "_revinclude");
        assertThat(http.get("/fhir/Observation?_include=Observation:subject:Patient").status()).isEqualTo(200);
    }

    private static void assertRefused(Response r, String parameter) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).as(r.body()).contains("'" + parameter + "'");
    }
}
