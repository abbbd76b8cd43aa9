package org.charnwood.app.triage;

import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.fhir.FhirRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo referrals: seeded once over the demo trust's services and patients, and shown on the queues. */
class DemoReferralsIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirRepository repository;
    @Autowired
    ReferralRecords records;
    @Autowired
    TriageActions actions;

    @Test
    void seedsReferralsInVariousStatesOnceOnly() {
        ReferralFixture.load(http, clock.instant());
        for (String service : new String[]{"community-therapy", "intermediate-care"}) {
            ReferralFixture.put(http, "HealthcareService/" + service, """
                    {"resourceType":"HealthcareService","id":"%s","active":true,"name":"%s",
                     "providedBy":{"reference":"Organization/trust-r9c"}}""".formatted(service, service));
            ReferralFixture.put(http, "Practitioner/staff-" + service, """
                    {"resourceType":"Practitioner","id":"staff-%s"}""".formatted(service));
            ReferralFixture.put(http, "PractitionerRole/role-" + service, """
                    {"resourceType":"PractitionerRole","id":"role-%s","active":true,
                     "practitioner":{"reference":"Practitioner/staff-%s"},
                     "healthcareService":[{"reference":"HealthcareService/%s"}]}""".formatted(service, service, service));
            ReferralFixture.put(http, "CareTeam/team-" + service, """
                    {"resourceType":"CareTeam","id":"team-%s","status":"active",
                     "participant":[{"member":{"reference":"PractitionerRole/role-%s"}}]}""".formatted(service, service));
        }
        for (int i = 2; i <= 9; i++) {
            ReferralFixture.put(http, "Patient/p" + i, """
                    {"resourceType":"Patient","id":"p%d","name":[{"family":"Demo","given":["Person%d"]}]}""".formatted(i, i));
        }
        DemoReferrals demo = new DemoReferrals(repository, records, actions, clock);
        demo.seed();
        demo.seed();

        assertThat(rows("fhir_resource where res_type = 'ServiceRequest' and res_id like 'demo-referral-%'"))
                .as("nine referrals, seeded once").isEqualTo(9);
        String ucr = http.get("/api/services/urgent-community-response/waiting-list").body();
        assertThat(ucr).contains("\"clock\":\"urgent-response\",\"met\":1");
        String dn = http.get("/api/services/district-nursing/waiting-list").body();
        assertThat(dn).contains("\"referral\":\"ServiceRequest/demo-referral-08\"", "\"weeksWaited\":3");
    }
}
