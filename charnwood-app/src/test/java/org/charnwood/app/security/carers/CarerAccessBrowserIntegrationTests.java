package org.charnwood.app.security.carers;

import org.charnwood.app.testing.BrowserIntegrationTest;
import org.charnwood.app.testing.StaffBrowser;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient sees the carers who can see their record, and can change what one sees or stop it: the carer's FHIR
 * reads follow at once, and the carer's own pages say their access has ended. Only the patient may: another patient
 * sees nothing of it and changes nothing, and a carer is refused. The pages are checked by axe-core in Chromium.
 */
class CarerAccessBrowserIntegrationTests extends BrowserIntegrationTest {

    @Autowired
    FhirRepository repository;

    private static String id() {
        return "ca-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String base() {
        return "http://localhost:" + port;
    }

    /** A patient, their carer (a RelatedPerson named Jo Bloggs) and the Consent sharing these types with them. */
    private String[] patientWithCarer(String... types) {
        String patient = id();
        String carer = id();
        String consentId = id();
        Patient p = new Patient();
        p.setId(patient);
        p.addName().setFamily("Patient").addGiven(patient);
        RelatedPerson rp = new RelatedPerson();
        rp.setId(carer);
        rp.setActive(true);
        rp.setPatient(new Reference("Patient/" + patient));
        rp.addName().setFamily("Bloggs").addGiven("Jo");
        rp.addRelationship().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode")
                .setCode("DAU").setDisplay("daughter");
        Consent c = new Consent();
        c.setId(consentId);
        c.setStatus(Consent.ConsentState.ACTIVE);
        c.setScope(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
        c.addCategory(new CodeableConcept().addCoding(new Coding("http://loinc.org", "59284-0", null)));
        c.setPatient(new Reference("Patient/" + patient));
        c.setDateTime(Date.from(java.time.Instant.parse("2026-03-04T10:00:00Z")));
        c.setPolicyRule(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null)));
        c.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        c.getProvision().addActor().setRole(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GRANTEE", null)))
                .setReference(new Reference("RelatedPerson/" + carer));
        for (String t : types) {
            c.getProvision().addClass_(new Coding("http://hl7.org/fhir/resource-types", t, null));
        }
        repository.inTransaction(s -> {
            s.update("Patient", patient, p, null);
            s.update("RelatedPerson", carer, rp, null);
            s.update("Consent", consentId, c, null);
            return null;
        });
        return new String[]{patient, carer, consentId};
    }

    private long lastAudit() {
        return jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
    }

    /** A browser signed in on the sign-in page as {@code person}. */
    private HttpClient signedIn(TestTokens.Caller person) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(person), TestTokens.PASSWORD);
        return browser;
    }

    /** The kinds of record the consent lets the carer see, as stored now. */
    private List<String> shared(String consentId) {
        return repository.read("Consent", consentId).parse(Consent.class).getProvision().getClass_().stream()
                .map(Coding::getCode).toList();
    }

    private String consentStatus(String consentId) {
        return repository.read("Consent", consentId).parse(Consent.class).getStatus().toCode();
    }

    @Test
    void aPatientChangesWhatTheirCarerSeesThenStopsItAndTheCarerIsRefusedAtOnce() {
        String[] made = patientWithCarer("Patient", "Observation", "Appointment");
        String patient = made[0];
        String carer = made[1];
        String consentId = made[2];
        String username = tokens.account(TestTokens.Caller.patient(patient));
        String carerToken = tokens.bearer(TestTokens.Caller.carer(carer, patient));
        assertThat(http.as(carerToken).get("/fhir/Observation?patient=" + patient).status()).isEqualTo(200);
        long before = lastAudit();

        StaffBrowser b = browser().forgetSession().open("/my/apps").signIn(username, TestTokens.PASSWORD);
        b.click("#carers");
        assertThat(b.path()).isEqualTo(CarerAccessPages.PATH);
        assertThat(b.text("h1")).isEqualTo("People who can see your record");
        assertThat(b.text("#carer-" + carer)).contains("Jo Bloggs", "Your daughter", "since 4 March 2026",
                "your test results and observations, such as blood pressure", "your appointments and visits",
                "your name, date of birth, address and contact details");
        assertThat(b.text("#ask-care-team")).contains("Ask your care team");
        b.assertAccessible();

        b.click("#carer-" + carer + " .change-link");
        assertThat(b.text("h1")).isEqualTo("What can Jo Bloggs see?");
        assertThat(b.find("#share-Observations").isSelected()).isTrue();
        assertThat(b.find("#share-Medicines").isSelected()).isFalse();
        b.assertAccessible();
        b.click("#share-Observations").click("#share-Medicines").click("#save");

        assertThat(b.text("#changed")).contains("You have changed what Jo Bloggs can see");
        assertThat(b.text("#carer-" + carer)).contains("your medicines")
                .doesNotContain("observations");
        assertThat(http.as(carerToken).get("/fhir/Observation?patient=" + patient).status()).isEqualTo(403);
        assertThat(http.as(carerToken).get("/fhir/MedicationRequest?patient=" + patient).status()).isEqualTo(200);

        b.click("#carer-" + carer + " .stop-link");
        assertThat(b.text("h1")).isEqualTo("Are you sure you want to stop Jo Bloggs seeing your record?");
        b.assertAccessible();
        b.click("#confirm-stop");

        assertThat(b.text("#stopped")).contains("Jo Bloggs can no longer see your record");
        assertThat(b.text("#no-carers")).contains("Nobody else can see your health record");
        assertThat(b.present("#carer-" + carer)).isFalse();
        b.assertAccessible();

        assertThat(http.as(carerToken).get("/fhir/Patient/" + patient).status()).isEqualTo(403);
        assertThat(http.as(carerToken).get("/fhir/Appointment?patient=" + patient).status()).isEqualTo(403);
        assertThat(consentStatus(consentId)).isEqualTo("inactive");
        assertThat(jdbc.queryForObject("select count(*) from audit.event where seq > ? and action = 'U'"
                + " and who = ? and content like ?", Long.class, before, "Patient/" + patient,
                "%Consent/" + consentId + "%")).isEqualTo(2);

        HttpClient carerBrowser = signedIn(TestTokens.Caller.carer(carer, patient));
        assertThat(tokens.get(carerBrowser, base() + "/my/apps").body()).contains("id=\"access-ended\"",
                "Your access has ended");
        HttpResponse<String> history = tokens.get(carerBrowser, base() + "/my/record-access");
        assertThat(history.body()).contains("id=\"access-ended\"", "has ended");
    }

    @Test
    void anotherPatientNeitherSeesNorChangesTheConsent() {
        String[] made = patientWithCarer("Patient", "Observation");
        String patient = made[0];
        String carer = made[1];
        String consentId = made[2];
        String carerToken = tokens.bearer(TestTokens.Caller.carer(carer, patient));
        HttpClient other = signedIn(TestTokens.Caller.patient(id()));

        HttpResponse<String> page = tokens.get(other, base() + CarerAccessPages.PATH);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"no-carers\"").doesNotContain("Bloggs");
        HttpResponse<String> confirm = tokens.get(other, base() + CarerAccessPages.PATH + "/stop?consent=" + consentId
                + "&carer=" + carer);
        assertThat(confirm.statusCode()).isEqualTo(302);
        assertThat(confirm.body()).doesNotContain("Bloggs");
        String csrf = TestTokens.csrf(page.body());
        HttpResponse<String> stop = tokens.postForm(other, base() + CarerAccessPages.PATH + "/stop",
                Map.of("consent", consentId, "carer", carer, "_csrf", csrf), true);
        assertThat(stop.statusCode()).isEqualTo(302);
        HttpResponse<String> change = tokens.postForm(other, base() + CarerAccessPages.PATH + "/change",
                Map.of("consent", consentId, "carer", carer, "share", "Medicines", "_csrf", csrf), true);
        assertThat(change.statusCode()).isEqualTo(302);

        assertThat(consentStatus(consentId)).isEqualTo("active");
        assertThat(http.as(carerToken).get("/fhir/Observation?patient=" + patient).status()).isEqualTo(200);
        assertThat(http.as(carerToken).get("/fhir/MedicationRequest?patient=" + patient).status()).isEqualTo(403);
    }

    @Test
    void aCarerCannotUseThePageForThePatient() {
        String[] made = patientWithCarer("Patient", "Observation");
        String patient = made[0];
        String carer = made[1];
        String consentId = made[2];
        HttpClient carerBrowser = signedIn(TestTokens.Caller.carer(carer, patient));

        HttpResponse<String> page = tokens.get(carerBrowser, base() + CarerAccessPages.PATH);
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("Only the person whose record it is can change who sees it");
        String csrf = TestTokens.csrf(tokens.get(carerBrowser, base() + "/my/apps").body());
        HttpResponse<String> stop = tokens.postForm(carerBrowser, base() + CarerAccessPages.PATH + "/stop",
                Map.of("consent", consentId, "carer", carer, "_csrf", csrf), true);
        assertThat(stop.statusCode()).isEqualTo(403);
        HttpResponse<String> widen = tokens.postForm(carerBrowser, base() + CarerAccessPages.PATH + "/change",
                Map.of("consent", consentId, "carer", carer, "share", "WhoViewed", "_csrf", csrf), true);
        assertThat(widen.statusCode()).isEqualTo(403);

        assertThat(consentStatus(consentId)).isEqualTo("active");
        assertThat(shared(consentId)).containsExactlyInAnyOrder("Patient", "Observation");
    }

    @Test
    void aStopWithoutThePagesCsrfTokenChangesNothingAndChoosingNothingSaysWhatToDo() {
        String[] made = patientWithCarer("Patient", "Observation");
        String patient = made[0];
        String carer = made[1];
        String consentId = made[2];
        HttpClient browser = signedIn(TestTokens.Caller.patient(patient));

        HttpResponse<String> forged = tokens.postForm(browser, base() + CarerAccessPages.PATH + "/stop",
                Map.of("consent", consentId, "carer", carer), true);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(consentStatus(consentId)).isEqualTo("active");

        String csrf = TestTokens.csrf(tokens.get(browser, base() + CarerAccessPages.PATH).body());
        Map<String, String> nothing = new LinkedHashMap<>();
        nothing.put("consent", consentId);
        nothing.put("carer", carer);
        nothing.put("_csrf", csrf);
        HttpResponse<String> empty = tokens.postForm(browser, base() + CarerAccessPages.PATH + "/change", nothing, true);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("Choose at least one thing Jo Bloggs can see, or go back and stop their access");
        assertThat(shared(consentId)).containsExactlyInAnyOrder("Patient", "Observation");
    }

    @Test
    void aChangeMadeOnAPageOpenedBeforeTheCareTeamChangedTheConsentIsNotSavedAndTheTicksAreKept() {
        String[] made = patientWithCarer("Patient", "Observation");
        String patient = made[0];
        String carer = made[1];
        String consentId = made[2];
        HttpClient browser = signedIn(TestTokens.Caller.patient(patient));
        String page = tokens.get(browser, base() + CarerAccessPages.PATH + "/change?consent=" + consentId
                + "&carer=" + carer).body();
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("name=\"version\" value=\"(\\d+)\"")
                .matcher(page);
        assertThat(version.find()).as("the version the page carries").isTrue();

        // The care team lets the carer see appointments too, after the patient opened the page.
        repository.inTransaction(s -> {
            Consent now = s.current("Consent", consentId).orElseThrow().parse(Consent.class);
            now.getProvision().addClass_(new Coding("http://hl7.org/fhir/resource-types", "Appointment", null));
            s.update("Consent", consentId, now, null);
            return null;
        });

        Map<String, String> mine = new LinkedHashMap<>();
        mine.put("consent", consentId);
        mine.put("carer", carer);
        mine.put("share", "Medicines");
        mine.put("version", version.group(1));
        mine.put("_csrf", TestTokens.csrf(page));
        HttpResponse<String> stale = tokens.postForm(browser, base() + CarerAccessPages.PATH + "/change", mine, true);
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(409);
        assertThat(stale.body()).contains("id=\"conflict\"", "was changed after you opened this page",
                "your change has not been saved", "your appointments and visits");
        assertThat(stale.body()).as("the patient's own choice is still ticked")
                .containsPattern("id=\"share-Medicines\"[^>]*checked");
        assertThat(shared(consentId)).containsExactlyInAnyOrder("Patient", "Observation", "Appointment");

        mine.put("version", Integer.toString(Integer.parseInt(version.group(1)) + 1));
        mine.put("_csrf", TestTokens.csrf(stale.body()));
        HttpResponse<String> again = tokens.postForm(browser, base() + CarerAccessPages.PATH + "/change", mine, true);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(302);
        assertThat(shared(consentId)).contains("MedicationRequest").doesNotContain("Observation");
    }
}
