package org.charnwood.app.audit;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.app.audit.balp.Codes;
import org.charnwood.app.audit.balp.AuditEventBuilder.Direction;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.fhir.FhirRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** "Who has viewed my record": what a patient (or a carer they share it with) sees, and who may see it. */
class RecordAccessPagesIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    FhirRepository repository;

    @Autowired
    AccessPolicy policy;

    @Autowired
    AuditTrail trail;

    private RecordAccessFixture fixture;

    @BeforeEach
    void aRecordOthersHaveUsed() {
        fixture = new RecordAccessFixture(repository);
    }

    private HttpResponse<String> page(TestTokens.Caller caller, String query) {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(caller), TestTokens.PASSWORD);
        return tokens.get(browser, "http://localhost:" + port + "/my/record-access" + query);
    }

    @Test
    void aPatientSeesWhoViewedTheirRecordWithNamesRolesAndOrganisation() {
        fixture.othersUseTheRecord(tokens, http);

        HttpResponse<String> response = page(TestTokens.Caller.patient(fixture.patient), "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Who has viewed your record", "Mary Seacole", "Nurse",
                "Charnwood Community Health NHS Trust", "Viewed your personal details",
                "Elizabeth Blackwell", "Doctor or clinical practitioner", "Searched and saw your observations and measurements");
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    }

    @Test
    void breakGlassAccessIsMarkedWithTheReasonGiven() {
        fixture.othersUseTheRecord(tokens, http);

        String body = page(TestTokens.Caller.patient(fixture.patient), "").body();

        assertThat(body).contains("Emergency access", "Used emergency access to open your record",
                "Reason they gave: <q>" + RecordAccessFixture.REASON + "</q>");
    }

    @Test
    void emergencyAccessRefusedBeforeItsHandlerRanSaysItWasAskedFor() {
        FhirHttp withoutTheScope = http.as(tokens.bearer(fixture.doctor.scopes("user/*.cruds")));
        assertThat(withoutTheScope.post("/api/break-glass", "{\"patientId\":\"" + fixture.patient
                + "\",\"reason\":\"" + RecordAccessFixture.REASON + "\"}", "application/json").status())
                .isEqualTo(403);

        String body = page(TestTokens.Caller.patient(fixture.patient), "").body();

        assertThat(body).contains("Asked for emergency access to your record",
                "(they were not allowed to, so nothing was shown or changed)");
        assertThat(body).doesNotContain("Tried to change your record");
    }

    @Test
    void anAttemptThatFailedForAFaultIsNotCalledARefusal() {
        Requester nurse = new Requester(Requester.Kind.STAFF, "ra-nurse", "Practitioner/ra-nurse",
                Set.of(AccessRole.REGISTERED_NURSE), null, null, List.of(), null, null, "127.0.0.1", Instant.now());
        // What is recorded when reading the record failed with a 500: outcome 8, serious failure.
        trail.commit(List.of(trail.event(Codes.PATIENT_RECORD).requester(nurse, Direction.TO_CLIENT)
                .subtype(Codes.PAGE).action("R").outcome(8, "HTTP 500").patients(List.of(fixture.patient))
                .query("GET /patients/" + fixture.patient, null).build()));

        String body = page(TestTokens.Caller.patient(fixture.patient), "").body();

        assertThat(body).contains("Tried to view your record",
                "(this did not work because of a fault in our system)");
        assertThat(body).doesNotContain("they were not allowed to");
    }

    @Test
    void thePatientsOwnUseAndSystemWorkAreLeftOut() {
        String own = tokens.bearer(TestTokens.Caller.patient(fixture.patient));
        assertThat(http.as(own).get("/fhir/Patient/" + fixture.patient).status()).isEqualTo(200);
        assertThat(http.get("/fhir/Patient/" + fixture.patient).status()).isEqualTo(200);

        String body = page(TestTokens.Caller.patient(fixture.patient), "").body();

        assertThat(body).contains("Nobody has viewed the record yet").doesNotContain("<tbody");
    }

    @Test
    void theHistoryIsPagedNewestFirst() {
        String nurse = tokens.bearer(fixture.nurse);
        for (int i = 0; i < RecordAccessPages.PAGE_SIZE + 3; i++) {
            http.as(nurse).get("/fhir/Patient/" + fixture.patient);
        }
        http.as(tokens.bearer(fixture.doctor)).get("/fhir/Patient/" + fixture.patient);

        String first = page(TestTokens.Caller.patient(fixture.patient), "").body();
        String second = page(TestTokens.Caller.patient(fixture.patient), "?page=2").body();

        assertThat(rowsIn(first)).isEqualTo(RecordAccessPages.PAGE_SIZE);
        assertThat(first.indexOf("Elizabeth Blackwell")).as("the latest access comes first")
                .isLessThan(first.indexOf("Mary Seacole")).isPositive();
        assertThat(first).contains("id=\"older\"").doesNotContain("id=\"newer\"");
        assertThat(rowsIn(second)).isEqualTo(4);
        assertThat(second).contains("id=\"newer\"").doesNotContain("id=\"older\"");
    }

    @Test
    void aCarerSeesItOnlyWhenTheConsentSharesTheAccessHistory() {
        fixture.othersUseTheRecord(tokens, http);
        fixture.carerMaySee(repository);
        HttpResponse<String> wholeRecordOnly = page(fixture.carer(), "");
        fixture.carerMaySee(repository, "Observation", "AuditEvent");
        HttpResponse<String> shared = page(fixture.carer(), "");

        assertThat(wholeRecordOnly.statusCode()).isEqualTo(403);
        assertThat(wholeRecordOnly.body()).contains("has not chosen to share");
        assertThat(shared.statusCode()).isEqualTo(200);
        assertThat(shared.body()).contains("Who has viewed the record you help with", "Mary Seacole");
    }

    @Test
    void staffAndOtherPatientsCannotOpenIt() {
        HttpResponse<String> staff = page(fixture.nurse, "");
        HttpResponse<String> otherPatient = page(TestTokens.Caller.patient("ra-someone-else"), "?patient=" + fixture.patient);
        HttpResponse<String> nobody = tokens.get(TestTokens.browser(), "http://localhost:" + port + "/my/record-access");

        assertThat(staff.statusCode()).isEqualTo(403);
        assertThat(otherPatient.statusCode()).isEqualTo(403);
        assertThat(nobody.statusCode()).isEqualTo(302);
        assertThat(nobody.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/signin"));
    }

    @Test
    void onlyPatientsProvenToP9OrByTheTrustMayReadTheirHistory() {
        Requester p9 = patient("P9");
        Requester p5 = patient("P5");
        Requester trustVerified = patient(null);
        Requester staff = new Requester(Requester.Kind.STAFF, "s", "Practitioner/ra-nurse",
                Set.of(AccessRole.REGISTERED_NURSE), null, null, List.of(), null, null, null, Instant.now());

        assertThat(policy.accessHistoryPatients(p9)).containsExactly(fixture.patient);
        assertThat(policy.accessHistoryPatients(trustVerified)).containsExactly(fixture.patient);
        assertThat(policy.accessHistoryPatients(p5)).isEmpty();
        assertThat(policy.accessHistoryPatients(staff)).isEmpty();
    }

    private Requester patient(String proofing) {
        return new Requester(Requester.Kind.PATIENT, "a", "Patient/" + fixture.patient, Set.of(), null, null,
                List.of(), null, null, null, Instant.now(), proofing);
    }

    private static int rowsIn(String html) {
        return html.split("class=\"nhsuk-table__row\"", -1).length - 1;
    }
}
