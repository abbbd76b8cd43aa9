package org.charnwood.app.triage;

import org.charnwood.app.testing.FhirHttp;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Referrals as the referral contract stores them, written straight through the FHIR API: the trust, three
 * services (urgent community response, district nursing, intermediate care), a UCR nurse
 * ({@code Practitioner/staff-101}, on the UCR team) and a district nurse ({@code Practitioner/staff-201}, on the
 * district nursing team), a GP who refers ({@code Practitioner/gp-001}), the UCR pathway the application ships
 * (PlanDefinition with a 2-hour urgent-response goal and a 30-minute triage goal), and one 2-hour referral ({@code ServiceRequest/ref-1},
 * priority asap, received 100 minutes ago) with its form answers.
 */
final class ReferralFixture {

    static final String UCR = "urgent-community-response";
    static final String DISTRICT_NURSING = "district-nursing";
    static final String UCR_NURSE = "Practitioner/staff-101";
    static final String DISTRICT_NURSE = "Practitioner/staff-201";
    static final String GP = "Practitioner/gp-001";

    private ReferralFixture() {
    }

    static Instant load(FhirHttp http, Instant now) {
        put(http, "Organization/trust-r9c", """
                {"resourceType":"Organization","id":"trust-r9c","name":"Charnwood Community and Mental Health NHS Trust"}""");
        service(http, UCR, "Urgent Community Response (2-hour)");
        service(http, DISTRICT_NURSING, "District Nursing");
        service(http, "intermediate-care", "Intermediate Care and Reablement");
        member(http, "staff-101", "role-101", UCR, "Okafor", "Ada");
        member(http, "staff-201", "role-201", DISTRICT_NURSING, "Jones", "Bethan");
        put(http, GP, """
                {"resourceType":"Practitioner","id":"gp-001","name":[{"family":"Patel","given":["Ravi"],"prefix":["Dr"]}]}""");
        put(http, "Patient/p1", """
                {"resourceType":"Patient","id":"p1",
                 "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}],
                 "name":[{"use":"official","family":"Marsh","given":["Edith"]}],"gender":"female","birthDate":"1941-03-15"}""");
        shippedPathway(http, UCR);
        Instant received = now.minus(Duration.ofMinutes(100)).truncatedTo(ChronoUnit.SECONDS);
        referral(http, "ref-1", UCR, "asap", received, "https://charnwood.nhs.uk/fhir/PlanDefinition/" + UCR + "|1");
        put(http, "QuestionnaireResponse/qr-1", """
                {"resourceType":"QuestionnaireResponse","id":"qr-1","status":"completed",
                 "basedOn":[{"reference":"ServiceRequest/ref-1"}],"subject":{"reference":"Patient/p1"},
                 "item":[{"linkId":"what-happened","text":"What has happened?",
                          "answer":[{"valueString":"Fell at home overnight, unable to get up without help"}]},
                         {"linkId":"injury","text":"Any serious injury?","answer":[{"valueBoolean":false}]}]}""");
        return received;
    }

    static void referral(FhirHttp http, String id, String service, String priority, Instant received,
                         String pathway) {
        put(http, "ServiceRequest/" + id, """
                {"resourceType":"ServiceRequest","id":"%s","status":"active","intent":"order","priority":"%s",
                 "extension":[{"url":"https://charnwood.nhs.uk/fhir/StructureDefinition/referral-received","valueDateTime":"%s"},
                   {"url":"https://charnwood.nhs.uk/fhir/StructureDefinition/referral-source",
                    "valueCoding":{"system":"https://charnwood.nhs.uk/fhir/CodeSystem/referral-source","code":"gp","display":"GP"}}],
                 "identifier":[{"system":"https://charnwood.nhs.uk/fhir/Id/referral","value":"%s"}],
                 "category":[{"coding":[{"system":"http://snomed.info/sct","code":"3457005","display":"Patient referral"}]}],
                 %s
                 "subject":{"reference":"Patient/p1"},"requester":{"reference":"Practitioner/gp-001"},
                 "performer":[{"reference":"HealthcareService/%s"}],"authoredOn":"%s",
                 "reasonCode":[{"text":"Fall at home"}]}""".formatted(id, priority, received, id,
                pathway == null ? "" : "\"instantiatesCanonical\":[\"" + pathway + "\"],", service, received));
    }

    private static void service(FhirHttp http, String id, String name) {
        put(http, "HealthcareService/" + id, """
                {"resourceType":"HealthcareService","id":"%s","active":true,"name":"%s",
                 "providedBy":{"reference":"Organization/trust-r9c"}}""".formatted(id, name));
    }

    private static void member(FhirHttp http, String practitioner, String role, String service, String family,
                               String given) {
        put(http, "Practitioner/" + practitioner, """
                {"resourceType":"Practitioner","id":"%s","name":[{"use":"official","family":"%s","given":["%s"]}]}"""
                .formatted(practitioner, family, given));
        put(http, "PractitionerRole/" + role, """
                {"resourceType":"PractitionerRole","id":"%s","active":true,
                 "practitioner":{"reference":"Practitioner/%s"},
                 "organization":{"reference":"Organization/trust-r9c"},
                 "healthcareService":[{"reference":"HealthcareService/%s"}]}""".formatted(role, practitioner, service));
        put(http, "CareTeam/team-" + service, """
                {"resourceType":"CareTeam","id":"team-%s","status":"active","name":"%s team",
                 "participant":[{"member":{"reference":"PractitionerRole/%s"}}],
                 "managingOrganization":[{"reference":"Organization/trust-r9c"}]}""".formatted(service, service, role));
    }

    /**
     * Stores the pathway the application ships for the service (its Questionnaire and PlanDefinition, version 1),
     * as an administrator would publish it: the referral intake checks every pathway written.
     */
    static void shippedPathway(FhirHttp http, String service) {
        String file = "/referrals/pathways/" + service + ".json";
        try (InputStream in = ReferralFixture.class.getResourceAsStream(file)) {
            Bundle bundle = FhirContexts.r4().newJsonParser().parseResource(Bundle.class, in);
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource resource = entry.getResource();
                if (resource instanceof Questionnaire || resource instanceof PlanDefinition) {
                    put(http, resource.fhirType() + "/" + resource.getIdElement().getIdPart(),
                            FhirContexts.r4().newJsonParser().encodeResourceToString(resource));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
    }

    static void put(FhirHttp http, String path, String json) {
        FhirHttp.Response r = http.put("/fhir/" + path, json, "application/fhir+json");
        assertThat(r.status()).as("PUT " + path + ": " + r.body()).isIn(200, 201);
    }
}
