package org.charnwood.app.fhirapi;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp.Response;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validation, content negotiation, history parameters and $everything where R4 asks for more than the common
 * path: modifier extensions, profiles claimed inside a resource, FHIR versions in media types, history's
 * parameters and what a patient's record refers to.
 */
class ConformanceEdgesIntegrationTests extends CharnwoodIntegrationTest {

    private String patient() {
        return http.post("/fhir/Patient", """
                {"resourceType":"Patient","name":[{"family":"Mistry"}]}""", "application/fhir+json")
                .resource(Patient.class).getIdElement().getIdPart();
    }

    private long resources(String type) {
        return jdbc.queryForObject("select count(*) from fhir_resource where res_type = ?", Long.class, type);
    }

    @Test
    void aSummaryValueInTheWrongCaseIsRefusedByReadAndVreadAsBySearch() {
        String patient = patient();
        for (String path : List.of("/fhir/Patient/" + patient, "/fhir/Patient/" + patient + "/_history/1",
                "/fhir/Patient?_id=" + patient)) {
            Response wrongCase = http.get(path + (path.contains("?") ? "&" : "?") + "_summary=TRUE");
            assertThat(wrongCase.status()).as(path).isEqualTo(400);
            assertThat(wrongCase.outcome().getIssueFirstRep().getDiagnostics()).as(path).contains("_summary");
            assertThat(http.get(path + (path.contains("?") ? "&" : "?") + "_summary=true").status()).as(path)
                    .isEqualTo(200);
        }
    }

    @Test
    void aModifierExtensionTheServerDoesNotKnowIsRefusedAtItsPlace() {
        Response r = http.post("/fhir/Patient", """
                {"resourceType":"Patient","contact":[{"name":{"family":"Mistry"},"modifierExtension":[
                  {"url":"http://example.org/fhir/StructureDefinition/contact-is-barred","valueBoolean":true}]}]}""",
                "application/fhir+json");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics())
                .contains("http://example.org/fhir/StructureDefinition/contact-is-barred");
        assertThat(r.outcome().getIssueFirstRep().getExpression().getFirst().getValue())
                .isEqualTo("Patient.contact[0].modifierExtension[0]");
        assertThat(resources("Patient")).isZero();
    }

    @Test
    void aRegularExtensionSentAsAModifierIsRefusedWithoutAProfileClaimed() {
        Response r = http.post("/fhir/Patient", """
                {"resourceType":"Patient","modifierExtension":[
                  {"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                   "valueAddress":{"city":"Leicester"}}]}""", "application/fhir+json");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.outcome().getIssueFirstRep().getExpression().getFirst().getValue())
                .isEqualTo("Patient.modifierExtension[0]");
        assertThat(resources("Patient")).isZero();
    }

    @Test
    void aModifierExtensionR4DefinesIsAccepted() {
        String patient = patient();

        Response r = http.post("/fhir/DeviceRequest", """
                {"resourceType":"DeviceRequest","status":"active","intent":"order",
                 "modifierExtension":[{"url":"http://hl7.org/fhir/StructureDefinition/request-doNotPerform",
                                       "valueBoolean":true}],
                 "codeCodeableConcept":{"text":"hoist"},"subject":{"reference":"Patient/%s"}}""".formatted(patient),
                "application/fhir+json");

        assertThat(r.status()).isEqualTo(201);
    }

    @Test
    void aContainedResourceIsHeldToTheProfileItClaimsWhenItsContainerClaimsNone() {
        Response r = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "contained":[{"resourceType":"Patient","id":"p",
                   "meta":{"profile":["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"]},
                   "extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
                                 "valueString":"not a coded ethnic category"}]}],
                 "subject":{"reference":"#p"}}""", "application/fhir+json");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.outcome().getIssueFirstRep().getExpression().getFirst().getValue())
                .startsWith("Observation.contained[0].extension[0]");
        assertThat(resources("Observation")).isZero();
    }

    @Test
    void aContainedResourceClaimingAnUnknownProfileIsWarnedAbout() {
        Response r = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "contained":[{"resourceType":"Patient","id":"p",
                   "meta":{"profile":["https://example.org/fhir/StructureDefinition/OurPatient"]}}],
                 "subject":{"reference":"#p"}}""", "application/fhir+json", "Prefer", "return=OperationOutcome");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.outcome().getIssue()).anySatisfy(issue -> {
            assertThat(issue.getDiagnostics()).contains("https://example.org/fhir/StructureDefinition/OurPatient");
            assertThat(issue.getExpression().getFirst().getValue())
                    .isEqualTo("Observation.contained[0].meta.profile[0]");
        });
    }

    @Test
    void aMediaTypeNamingAnotherFhirVersionIsNotAnsweredAsIfItWereR4() {
        String patient = patient();

        assertThat(http.get("/fhir/Patient/" + patient, "Accept", "application/fhir+json; fhirVersion=3.0").status())
                .isEqualTo(406);
        assertThat(http.get("/fhir/Patient/" + patient + "?_format=" + java.net.URLEncoder.encode(
                "application/fhir+xml;fhirVersion=5.0", java.nio.charset.StandardCharsets.UTF_8)).status())
                .isEqualTo(406);
        Response r4 = http.get("/fhir/Patient/" + patient, "Accept", "application/fhir+xml;fhirVersion=4.0");
        assertThat(r4.status()).isEqualTo(200);
        assertThat(r4.header("Content-Type")).startsWith("application/fhir+xml");
        // Another version's type listed first still lets R4's be chosen.
        assertThat(http.get("/fhir/Patient/" + patient, "Accept",
                "application/fhir+json;fhirVersion=3.0, application/fhir+xml;fhirVersion=4.0;q=0.5").header(
                "Content-Type")).startsWith("application/fhir+xml");

        Response written = http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}",
                "application/fhir+json; fhirVersion=3.0");
        assertThat(written.status()).isEqualTo(415);
        assertThat(written.outcome().getIssueFirstRep().getDiagnostics()).contains("fhirVersion=4.0");
        assertThat(resources("Patient")).isEqualTo(1);
        assertThat(http.post("/fhir/Patient", "{\"resourceType\":\"Patient\"}",
                "application/fhir+json; fhirVersion=4.0").status()).isEqualTo(201);
    }

    @Test
    void historyRefusesParametersItDoesNotServeInsteadOfAnsweringWithEveryVersion() {
        String patient = patient();

        Response list = http.get("/fhir/Patient/" + patient + "/_history?_list=List/recent");
        assertThat(list.status()).isEqualTo(400);
        assertThat(list.outcome().getIssueFirstRep().getDiagnostics()).contains("_list");
        assertThat(http.get("/fhir/Patient/_history?family=Mistry").status()).isEqualTo(400);
        assertThat(http.get("/fhir/_history?_since=2024-01-01T00:00:00Z&_sort=_lastUpdated").status()).isEqualTo(400);
        assertThat(http.get("/fhir/Patient/_history?family=Mistry", "Prefer", "handling=lenient").status())
                .isEqualTo(200);
        assertThat(http.get("/fhir/Patient/" + patient + "/_history?_count=1&_since=2024-01-01T00:00:00Z&_at=2026"
                + "&_format=json&_pretty=true&_summary=false&_elements=name").status()).isEqualTo(200);
    }

    @Test
    void everythingAddsTheTeamsAndThePeopleBehindTheRolesTheRecordRefersTo() {
        String patient = patient();
        String other = patient();
        String practitioner = http.post("/fhir/Practitioner", """
                {"resourceType":"Practitioner","name":[{"family":"Okafor"}]}""", "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.Practitioner.class).getIdElement().getIdPart();
        String role = http.post("/fhir/PractitionerRole", """
                {"resourceType":"PractitionerRole","practitioner":{"reference":"Practitioner/%s"}}"""
                .formatted(practitioner), "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.PractitionerRole.class).getIdElement().getIdPart();
        // A team with no subject is in no patient's compartment, though CareTeam is a compartment type.
        String team = http.post("/fhir/CareTeam", """
                {"resourceType":"CareTeam","name":"District nursing","participant":[{"member":{"reference":"PractitionerRole/%s"}}]}"""
                .formatted(role), "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.CareTeam.class).getIdElement().getIdPart();
        // Another patient's care plan, which this patient's record refers to: no part of this patient's record.
        String othersPlan = http.post("/fhir/CarePlan", """
                {"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"Patient/%s"}}"""
                .formatted(other), "application/fhir+json")
                .resource(org.hl7.fhir.r4.model.CarePlan.class).getIdElement().getIdPart();
        http.post("/fhir/CarePlan", """
                {"resourceType":"CarePlan","status":"active","intent":"plan","subject":{"reference":"Patient/%s"},
                 "careTeam":[{"reference":"CareTeam/%s"}],"basedOn":[{"reference":"CarePlan/%s"}]}"""
                .formatted(patient, team, othersPlan), "application/fhir+json");

        Bundle all = http.get("/fhir/Patient/" + patient + "/$everything").bundle();

        assertThat(all.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .extracting(e -> e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart())
                .containsExactlyInAnyOrder("CareTeam/" + team, "PractitionerRole/" + role,
                        "Practitioner/" + practitioner);
        assertThat(all.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .extracting(e -> e.getResource().fhirType()).containsExactlyInAnyOrder("Patient", "CarePlan");
        // References are followed through the types _type leaves out: the role leads to the practitioner.
        Bundle practitioners = http.get("/fhir/Patient/" + patient + "/$everything?_type=CarePlan,Practitioner")
                .bundle();
        assertThat(practitioners.getEntry()).extracting(Bundle.BundleEntryComponent::getResource)
                .extracting(Resource::fhirType).containsExactlyInAnyOrder("CarePlan", "Practitioner");
    }

    @Test
    void everythingIsReadByGetOrPostAndNotByTheMethodsThatWrite() {
        String patient = patient();
        String path = "/fhir/Patient/" + patient + "/$everything";

        assertThat(http.get(path).status()).isEqualTo(200);
        assertThat(http.post(path, null, null).status()).isEqualTo(200);
        for (String method : new String[] {"DELETE", "PUT", "PATCH"}) {
            Response r = http.send(method, path, null, null);
            assertThat(r.status()).as(method).isEqualTo(405);
            assertThat(r.header("Allow")).as(method).contains("GET").contains("POST");
        }
        Response withBody = http.post(path, """
                {"resourceType":"Parameters","parameter":[{"name":"_since","valueInstant":"2024-01-01T00:00:00Z"}]}""",
                "application/fhir+json");
        assertThat(withBody.status()).isEqualTo(400);
        assertThat(http.get("/fhir/Patient/" + patient).status()).isEqualTo(200);
        assertThat(http.get(path + "?_typeFilter=Observation%3Fstatus%3Dfinal").status()).isEqualTo(400);
        assertThat(http.get(path + "?_typeFilter=Observation%3Fstatus%3Dfinal", "Prefer", "handling=lenient").status())
                .isEqualTo(200);
        Bundle page = http.get(path + "?_count=1&_getpagesoffset=1&_since=2024-01-01T00:00:00Z&_type=Patient"
                + "&start=2024&end=2030&_format=json&_pretty=false&_summary=false&_elements=id").bundle();
        assertThat(page.getLink("first").getUrl()).endsWith("_count=1").doesNotContain("_getpagesoffset");
    }

    @Test
    void aReadConditionedOnAnyVersionExistingIsNotModified() {
        String patient = patient();

        assertThat(http.get("/fhir/Patient/" + patient, "If-None-Match", "*").status()).isEqualTo(304);
        assertThat(http.get("/fhir/Patient/" + patient + "/_history/1", "If-None-Match", "*").status()).isEqualTo(304);
        assertThat(http.get("/fhir/Patient/" + patient, "If-None-Match", "W/\"2\", W/\"1\"").status()).isEqualTo(304);
        assertThat(http.get("/fhir/Patient/" + patient, "If-None-Match", "W/\"2\"").status()).isEqualTo(200);
        assertThat(http.get("/fhir/Patient/unknown", "If-None-Match", "*").status()).isEqualTo(404);
    }

    @Test
    void aContainedResourceHoldingResourcesOfItsOwnIsRefusedRatherThanFlattened() {
        Response json = http.post("/fhir/Observation", """
                {"resourceType":"Observation","status":"final","code":{"text":"pulse"},
                 "contained":[{"resourceType":"Patient","id":"p",
                   "contained":[{"resourceType":"Organization","id":"o","name":"Enderby Medical Practice"}],
                   "managingOrganization":{"reference":"#o"}}],
                 "subject":{"reference":"#p"}}""", "application/fhir+json");
        Response xml = http.post("/fhir/Observation", """
                <Observation xmlns="http://hl7.org/fhir">
                  <contained><Patient><id value="p"/>
                    <contained><Organization><id value="o"/><name value="Enderby Medical Practice"/></Organization></contained>
                    <managingOrganization><reference value="#o"/></managingOrganization></Patient></contained>
                  <status value="final"/><code><text value="pulse"/></code><subject><reference value="#p"/></subject>
                </Observation>""", "application/fhir+xml");

        for (Response r : new Response[] {json, xml}) {
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("dom-2");
            assertThat(r.outcome().getIssueFirstRep().getExpression().getFirst().getValue())
                    .isEqualTo("Observation.contained[0].contained");
        }
        assertThat(resources("Observation")).isZero();
    }

    @Test
    void aScriptLinkSplitByATabIsRefusedAsBrowsersWouldFollowIt() {
        Response r = http.post("/fhir/Patient", """
                <Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>
                  <div xmlns="http://www.w3.org/1999/xhtml"><a href="java&#9;script:alert(1)">record</a></div>
                </text></Patient>""", "application/fhir+xml");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.outcome().getIssueFirstRep().getDiagnostics()).contains("script links");
        assertThat(resources("Patient")).isZero();
    }

    @Test
    void aStyleThatRunsScriptIsRefusedLikeAScript() {
        Response xml = http.post("/fhir/Patient", """
                <Patient xmlns="http://hl7.org/fhir"><text><status value="generated"/>
                  <div xmlns="http://www.w3.org/1999/xhtml"><p style="background:url(javascript:alert(1))">record</p></div>
                </text></Patient>""", "application/fhir+xml");
        Response json = http.post("/fhir/Patient", """
                {"resourceType":"Patient","text":{"status":"generated","div":
                  "<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><p style=\\"width:expression(alert(1))\\">record</p></div>"}}""", "application/fhir+json");

        assertThat(xml.status()).isEqualTo(422);
        assertThat(xml.outcome().getIssueFirstRep().getDiagnostics()).contains("style").contains("script");
        assertThat(json.status()).isEqualTo(422);
        assertThat(json.outcome().getIssueFirstRep().getDiagnostics()).contains("style").contains("script");
        assertThat(resources("Patient")).isZero();
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedRatherThanStoredWithReplacementCharacters() throws Exception {
        byte[] latin1 = """
                <?xml version="1.0" encoding="ISO-8859-1"?>
                <Patient xmlns="http://hl7.org/fhir"><name><family value="Müller"/></name></Patient>"""
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        var sent = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(http.fhirBase() + "/Patient"))
                .header("Content-Type", "application/fhir+xml")
                .header("Authorization", "Bearer " + http.bearerToken())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(latin1)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(sent.statusCode()).isEqualTo(400);
        assertThat(sent.body()).contains("not UTF-8");
        byte[] lines = "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Müller\"}]}\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        var imported = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(http.fhirBase() + "/$import"))
                .header("Content-Type", "application/fhir+ndjson")
                .header("Authorization", "Bearer " + http.bearerToken())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(lines)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).isEqualTo(400);
        assertThat(imported.body()).contains("not UTF-8");
        assertThat(resources("Patient")).isZero();
    }
}
