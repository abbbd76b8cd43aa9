package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient signs in on the sign-in page and reads "Who has viewed your record" in a real browser, every page
 * checked by axe-core. (The patient area shares the staff pages' browser harness.)
 */
class PatientRecordAccessBrowserIntegrationTests extends BrowserIntegrationTest {

    @Autowired
    FhirRepository repository;

    @Test
    void aPatientSignsInAndSeesWhoViewedTheirRecordPageByPage() {
        String patient = "rb-" + UUID.randomUUID().toString().substring(0, 8);
        Practitioner nurse = new Practitioner();
        nurse.setId("rb-nurse");
        nurse.addName(new HumanName().setFamily("Cavell").addGiven("Edith"));
        Patient record = new Patient();
        record.setId(patient);
        record.addName(new HumanName().setFamily("Byron").addGiven("Ada"));
        repository.inTransaction(s -> {
            s.update("Practitioner", "rb-nurse", nurse, null);
            s.update("Patient", patient, record, null);
            return null;
        });
        String token = tokens.bearer(TestTokens.Caller.staff("Practitioner/rb-nurse", AccessRole.REGISTERED_NURSE));
        for (int i = 0; i < 22; i++) {
            assertThat(http.as(token).get("/fhir/Patient/" + patient).status()).isEqualTo(200);
        }

        StaffBrowser b = browser().open("/my/record-access");
        assertThat(b.path()).startsWith("/signin");
        b.signIn(tokens.account(TestTokens.Caller.patient(patient)), TestTokens.PASSWORD);
        assertThat(b.landedOn()).isEqualTo("/my/record-access");
        assertThat(b.text("h1")).isEqualTo("Who has viewed your record");
        assertThat(b.present("#record-access")).as(b.text("main")).isTrue();
        assertThat(b.text("#record-access")).contains("Edith Cavell", "Nurse", "Viewed your personal details");
        b.assertAccessible();

        b.click("#older");
        assertThat(b.text("#record-access")).contains("Edith Cavell");
        assertThat(b.present("#newer")).isTrue();
        b.assertAccessible();
    }
}
