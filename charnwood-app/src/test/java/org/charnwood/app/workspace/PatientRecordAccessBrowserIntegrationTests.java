package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient signs in on the sign-in page and reads "Who has viewed your record" in a real browser, and a carer who
 * helps several people chooses whose, and goes back to the choice; every page checked by axe-core. (The patient
 * area shares the staff pages' browser harness.)
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

    @Test
    void aPatientOnAPageThatIsNotThereStaysInTheirOwnPagesWithAWayHome() {
        String patient = "nf-" + UUID.randomUUID().toString().substring(0, 8);
        Patient record = new Patient();
        record.setId(patient);
        record.addName(new HumanName().setFamily("Seacole").addGiven("Mary"));
        repository.inTransaction(s -> s.update("Patient", patient, record, null));
        StaffBrowser b = browser().forgetSession().open("/my/record-access");
        b.signIn(tokens.account(TestTokens.Caller.patient(patient)), TestTokens.PASSWORD);
        assertThat(b.landedOn()).isEqualTo("/my/record-access");

        for (String missing : java.util.List.of("/my/appointments", "/my/record-access/2026", "/my-record",
                "/no-such-page")) {
            b.open(missing);
            assertThat(b.text("h1")).as(missing).isEqualTo("Page not found");
            assertThat(b.driver().getPageSource()).as(missing).contains("Your health record")
                    .doesNotContain("href=\"/staff", "Find a patient", "Not signed in");
            b.assertAccessible();
            b.click("#home-link");
            assertThat(b.path()).as(missing).isEqualTo("/my/record-access");
        }
        b.forgetSession();
    }

    @Test
    void aCarerOfSeveralPeopleChoosesWhoseRecordAndStopsViewingItWithoutSigningInAgain() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ada = "rc-ada-" + suffix;
        String grace = "rc-grace-" + suffix;
        String carer = "rc-carer-" + suffix;
        Patient first = new Patient();
        first.setId(ada);
        first.addName(new HumanName().setFamily("Byron").addGiven("Ada"));
        Patient second = new Patient();
        second.setId(grace);
        second.addName(new HumanName().setFamily("Hopper").addGiven("Grace"));
        RelatedPerson person = new RelatedPerson();
        person.setId(carer);
        person.setActive(true);
        person.setPatient(new Reference("Patient/" + ada));
        person.addName().setFamily("Bloggs").addGiven("Jo");
        repository.inTransaction(s -> {
            s.update("Patient", ada, first, null);
            s.update("Patient", grace, second, null);
            s.update("RelatedPerson", carer, person, null);
            s.update("Consent", "rc-consent-a-" + suffix, sharesAccessHistory("rc-consent-a-" + suffix, ada, carer),
                    null);
            s.update("Consent", "rc-consent-g-" + suffix, sharesAccessHistory("rc-consent-g-" + suffix, grace, carer),
                    null);
            return null;
        });

        StaffBrowser b = browser().forgetSession().open("/my/record-access");
        try {
            choosesAndStopsViewing(b, ada, grace, carer);
        } finally {
            b.forgetSession();
        }
    }

    private void choosesAndStopsViewing(StaffBrowser b, String ada, String grace, String carer) {
        b.signIn(tokens.account(TestTokens.Caller.carer(carer, ada)), TestTokens.PASSWORD);
        assertThat(b.landedOn()).isEqualTo("/my/record-access");
        assertThat(b.text("h1")).isEqualTo("Whose record do you want to see?");
        assertThat(b.text("#choices")).contains("Ada Byron", "Grace Hopper");
        assertThat(b.present("#acting-for")).isFalse();
        b.assertAccessible();

        b.click("#choose-" + ada);
        assertThat(b.text("h1")).isEqualTo("Who has viewed the record you help with");
        assertThat(b.text("#acting-for")).contains("You are looking at Ada Byron's record");
        assertThat(b.text("#stop-acting-for")).isEqualTo("Stop viewing Ada Byron's record");
        b.assertAccessible();

        // Back to the choice, in the same session: nothing of Ada's record is carried over.
        b.click("#stop-acting-for");
        assertThat(b.landedOn()).isEqualTo("/my/record-access");
        assertThat(b.text("h1")).isEqualTo("Whose record do you want to see?");
        assertThat(b.present("#acting-for")).isFalse();

        b.click("#choose-" + grace);
        assertThat(b.text("#acting-for")).contains("You are looking at Grace Hopper's record")
                .doesNotContain("Ada");
        // The last page the carer saw is recorded as a view of Grace's record alone, not of Ada's as well.
        assertThat(jdbc.queryForObject("select patients from audit.event where who = ? order by seq desc limit 1",
                String.class, "RelatedPerson/" + carer)).isEqualTo(grace);
    }

    /** The patient's proxy Consent for the carer, sharing their access history (and their name). */
    private static Consent sharesAccessHistory(String id, String patient, String carer) {
        Consent c = new Consent();
        c.setId(id);
        c.setStatus(Consent.ConsentState.ACTIVE);
        c.setScope(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
        c.addCategory(new CodeableConcept().addCoding(new Coding("http://loinc.org", "59284-0", null)));
        c.setPatient(new Reference("Patient/" + patient));
        c.setPolicyRule(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null)));
        c.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        c.getProvision().addActor().setRole(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GRANTEE", null)))
                .setReference(new Reference("RelatedPerson/" + carer));
        for (String type : new String[] {"Patient", "AuditEvent"}) {
            c.getProvision().addClass_(new Coding("http://hl7.org/fhir/resource-types", type, null));
        }
        return c;
    }
}
