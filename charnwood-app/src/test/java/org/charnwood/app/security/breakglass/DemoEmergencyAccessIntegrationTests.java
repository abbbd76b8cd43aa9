package org.charnwood.app.security.breakglass;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's emergency access is a real grant: the information governance officer finds it to review, the trail
 * records it as emergency access in the grant's transaction, and the patient sees it in their access history.
 */
class DemoEmergencyAccessIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    DemoEmergencyAccess demo;
    @Autowired
    FhirRepository repository;

    @Test
    void theDemoClinicianOpensARecordForTheOfficerToReview() {
        Patient patient = new Patient();
        patient.setId("demo-ea");
        patient.addName(new HumanName().setFamily("Lovelace").addGiven("Ada"));
        repository.inTransaction(s -> {
            s.update("Patient", "demo-ea", patient, null);
            return null;
        });

        String grantId = demo.open("demo-clinician", "Practitioner/demo-doc", "RT5", "demo-ea");

        FhirHttp officer = http.as(tokens.bearer(Caller.staff("Practitioner/demo-gov", AccessRole.INFORMATION_GOVERNANCE)
                .scopes("user/*.cruds", "charnwood/break-glass.review")));
        assertThat(officer.get("/api/break-glass/reviews?status=unreviewed").body())
                .contains(grantId, "urgent treatment centre");
        assertThat(jdbc.queryForObject("select xmin::text from audit.event where subtype = 'break-glass'"
                + " and patients = 'demo-ea'", String.class)).isEqualTo(jdbc.queryForObject(
                "select xmin::text from access_break_glass where grant_id = ?", String.class, grantId));
        assertThat(http.as(tokens.bearer(Caller.patient("demo-ea"))).get("/fhir/AuditEvent?patient=demo-ea").body())
                .contains("Used emergency access to open your record");
    }
}
