package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.CLINICIAN;

/**
 * Emergency access lasts the time it is granted for on every path, whatever token or session the person holds, and
 * is granted once at a time for a patient's record in use: not stretched by asking again before it ends, and not to
 * a provisional record made from a self-referral or a record replaced by another.
 */
class BreakGlassLimitsIntegrationTests extends CharnwoodIntegrationTest {

    /** No relationship with p2 (AccessFixture). */
    private static final Caller DOC = Caller.staff("Practitioner/doc", CLINICIAN)
            .scopes("user/*.cruds", "charnwood/break-glass");
    private static final String REASON = "Collapsed at the clinic, no record of allergies";

    @Autowired
    FhirRepository repository;

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void loadTrust() {
        AccessFixture.load(repository, relationships);
    }

    private Response ask(FhirHttp as, String patientId) {
        return as.post("/api/break-glass", "{\"patientId\":\"" + patientId + "\",\"reason\":\"" + REASON + "\"}",
                "application/json");
    }

    @Test
    void aSecondGrantWhileOneIsInForceIsRefusedAndOneMayBeAskedForOnceItEnds() {
        FhirHttp doc = http.as(tokens.bearer(DOC));
        assertThat(ask(doc, "p2").status()).isEqualTo(201);
        Response again = ask(doc, "p2");
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("CHARNWOOD-2056", "already have emergency access");
        assertThat(rows("access_break_glass")).isEqualTo(1L);
        // Another patient is another grant.
        assertThat(ask(doc, "p1").status()).isEqualTo(201);

        jdbc.update("update access_break_glass set expires_at = now() - interval '1 second' where patient_id = 'p2'");
        Response later = ask(doc, "p2");
        assertThat(later.status()).as(later.body()).isEqualTo(201);
        assertThat(rows("access_break_glass")).isEqualTo(3L);
    }

    @Test
    void anEndedGrantOpensNothingOnAnyPathWhateverTokenOrSessionWasOpenedUnderIt() {
        FhirHttp doc = http.as(tokens.bearer(DOC));
        FhirHttp plain = http.as(tokens.bearer(Caller.staff("Practitioner/doc", CLINICIAN)));
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(Caller.staff("Practitioner/doc", CLINICIAN)), TestTokens.PASSWORD);
        String summary = "http://localhost:" + port + "/staff/patients/p2";
        assertThat(ask(doc, "p2").status()).isEqualTo(201);
        assertThat(plain.get("/fhir/Observation/p2-obs").status()).isEqualTo(200);
        assertThat(plain.get("/fhir/Patient/p2/$everything").status()).isEqualTo(200);
        assertThat(tokens.get(browser, summary).body()).doesNotContain("id=\"break-glass\"");

        // Ends now: at its end it is over, for the token and the session opened while it was in force.
        jdbc.update("update access_break_glass set expires_at = now()");
        assertThat(plain.get("/fhir/Observation/p2-obs").status()).isEqualTo(404);
        assertThat(doc.get("/fhir/Observation?subject=Patient/p2").bundle().getEntry()).isEmpty();
        assertThat(plain.get("/fhir/Patient/p2/$everything").status()).isEqualTo(403);
        assertThat(tokens.get(browser, summary).body()).contains("id=\"break-glass\"");
        // A new token for the same person brings nothing back either: grants are not carried in tokens.
        assertThat(http.as(tokens.bearer(Caller.staff("Practitioner/doc", CLINICIAN).scopes("user/*.rs")))
                .get("/fhir/Observation/p2-obs").status()).isEqualTo(404);
    }

    /** The record summary's form, sent for a provisional record, comes back saying what to do instead. */
    @Test
    void theSummaryPageSaysAProvisionalRecordIsNotOneToOpen() {
        Patient provisional = AccessFixture.patient("provisional-1", "Baker");
        provisional.getMeta().addTag(ProvisionalRecords.IDENTITY_STATUS, ProvisionalRecords.UNVERIFIED, null);
        AccessFixture.put(repository, List.of(provisional,
                AccessFixture.observation("provisional-obs", "provisional-1", AccessFixture.VITALS)));
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(Caller.staff("Practitioner/doc", CLINICIAN)), TestTokens.PASSWORD);
        String base = "http://localhost:" + port;
        java.net.http.HttpResponse<String> answer = tokens.submitFollowing(browser,
                base + "/staff/patients/provisional-1", base + "/api/break-glass",
                java.util.Map.of("patientId", "provisional-1", "reason", REASON));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.uri().toString()).endsWith("?break-glass=not-a-record");
        assertThat(answer.body()).contains("id=\"break-glass-error\"",
                "emergency access would open nothing: find the patient");
        assertThat(rows("access_break_glass")).isZero();
    }

    @Test
    void onlyAPatientsRecordInUseMayBeOpened() {
        Patient provisional = AccessFixture.patient("provisional-1", "Baker");
        provisional.getMeta().addTag(ProvisionalRecords.IDENTITY_STATUS, ProvisionalRecords.UNVERIFIED, null);
        Patient replaced = AccessFixture.patient("old-p2", "Baker");
        replaced.setActive(false);
        replaced.addLink().setType(Patient.LinkType.REPLACEDBY).setOther(new Reference("Patient/p2"));
        Patient gone = AccessFixture.patient("gone", "Gone");
        AccessFixture.put(repository, List.of(provisional, replaced, gone));
        repository.inTransaction(s -> s.delete("Patient", "gone"));
        FhirHttp doc = http.as(tokens.bearer(DOC));

        Response toProvisional = ask(doc, "provisional-1");
        assertThat(toProvisional.status()).as(toProvisional.body()).isEqualTo(422);
        assertThat(toProvisional.body()).contains("OperationOutcome", "CHARNWOOD-2056", "provisional record");
        Response toReplaced = ask(doc, "old-p2");
        assertThat(toReplaced.status()).as(toReplaced.body()).isEqualTo(422);
        assertThat(toReplaced.body()).contains("replaced by Patient/p2");
        Response toDeleted = ask(doc, "gone");
        assertThat(toDeleted.status()).as(toDeleted.body()).isEqualTo(410);
        assertThat(ask(doc, "nobody").status()).isEqualTo(404);
        assertThat(rows("access_break_glass")).isZero();
    }
}
