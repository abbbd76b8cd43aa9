package org.charnwood.app.security;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.FhirHttp;
import org.charnwood.app.testing.FhirHttp.Response;
import org.charnwood.app.testing.TestTokens.Caller;
import org.charnwood.fhir.FhirRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.AccessRole.CLINICIAN;
import static org.charnwood.app.security.AccessRole.INFORMATION_GOVERNANCE;

/**
 * Emergency access and its review are changes made outside the repository, and the review list reads the grants
 * outside it: each is audited as the repository's writes and reads are. A grant and a review commit in one
 * transaction with their audit record (a grant the trail does not show can never be used), a review is made
 * once, and the review list's record names every patient it shows.
 */
class BreakGlassAuditIntegrationTests extends CharnwoodIntegrationTest {

    private static final Caller DOC = Caller.staff("Practitioner/doc", CLINICIAN)
            .scopes("user/*.cruds", "charnwood/break-glass");
    private static final Caller IG = Caller.staff("Practitioner/gov", INFORMATION_GOVERNANCE)
            .scopes("user/*.cruds", "charnwood/break-glass.review");
    private static final String REASON = "Collapsed at the clinic, no record of allergies";

    @Autowired
    FhirRepository repository;
    @Autowired
    CareRelationships relationships;

    private long before;

    @BeforeEach
    void loadTrust() {
        AccessFixture.load(repository, relationships);
        before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
    }

    private FhirHttp as(Caller caller) {
        return http.as(tokens.bearer(caller));
    }

    private String grant(String patient) {
        Response granted = as(DOC).post("/api/break-glass",
                "{\"patientId\":\"" + patient + "\",\"reason\":\"" + REASON + "\"}", "application/json");
        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        return jdbc.queryForObject("select grant_id from access_break_glass where patient_id = ?", String.class,
                patient);
    }

    /** The id of the transaction that last wrote the grant's row, and of the one that wrote the audit row. */
    private String grantTransaction(String grantId) {
        return jdbc.queryForObject("select xmin::text from access_break_glass where grant_id = ?", String.class,
                grantId);
    }

    private String auditTransaction(String subtype) {
        return jdbc.queryForObject("select xmin::text from audit.event where seq > ? and subtype = ?", String.class,
                before, subtype);
    }

    @Test
    void aGrantAndItsAuditRecordCommitInOneTransaction() {
        String grantId = grant("p2");

        assertThat(auditTransaction("break-glass")).isEqualTo(grantTransaction(grantId));
        assertThat(jdbc.queryForObject("select patients from audit.event where seq > ? and subtype = 'break-glass'",
                String.class, before)).isEqualTo("p2");
    }

    @Test
    void aRefusedRequestForEmergencyAccessIsInThePatientsTrail() {
        Caller hca = Caller.staff("Practitioner/doc", AccessRole.HEALTH_CARE_ASSISTANT)
                .scopes("user/*.cruds", "charnwood/break-glass");
        Response refused = as(hca).post("/api/break-glass",
                "{\"patientId\":\"p2\",\"reason\":\"" + REASON + "\"}", "application/json");
        assertThat(refused.status()).isEqualTo(403);
        Response tooShort = as(DOC).post("/api/break-glass", "{\"patientId\":\"p2\",\"reason\":\"x\"}",
                "application/json");
        assertThat(tooShort.status()).isEqualTo(400);

        List<Map<String, Object>> attempts = jdbc.queryForList("select type, outcome::int as outcome, patients"
                + " from audit.event where seq > ? and subtype = 'break-glass' order by seq", before);
        assertThat(attempts).hasSize(2).allSatisfy(a -> {
            assertThat(a).containsEntry("outcome", 4).containsEntry("patients", "p2");
            assertThat(String.valueOf(a.get("type"))).contains("110113");
        });
        assertThat(jdbc.queryForObject("select count(*) from access_break_glass where patient_id = 'p2'", Long.class))
                .isZero();
        // Someone who names no patient that exists leaves no record against anyone.
        as(hca).post("/api/break-glass", "{\"patientId\":\"nobody\",\"reason\":\"" + REASON + "\"}",
                "application/json");
        assertThat(jdbc.queryForObject("select count(*) from audit.event where seq > ? and subtype = 'break-glass'",
                Long.class, before)).isEqualTo(2);
    }

    @Test
    void aStaffAccountLinkedToNoPractitionerIsRefusedEmergencyAccess() {
        // Access follows the practitioner: a grant to an account with none would open nothing, yet be on the list.
        Caller unlinked = Caller.staff(null, CLINICIAN).scopes("user/*.cruds", "charnwood/break-glass");
        Response refused = as(unlinked).post("/api/break-glass",
                "{\"patientId\":\"p2\",\"reason\":\"" + REASON + "\"}", "application/json");

        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("OperationOutcome", "not linked to a practitioner record");
        assertThat(jdbc.queryForObject("select count(*) from access_break_glass", Long.class)).isZero();
        assertThat(as(IG).get("/api/break-glass/reviews?status=all").body()).isEqualTo("[]");
        // The refusal is in the patient's trail, as other refused attempts are.
        assertThat(jdbc.queryForObject("select outcome::int from audit.event where seq > ? and subtype = 'break-glass'",
                Integer.class, before)).isEqualTo(4);
    }

    @Test
    void aRefusedRequestForEmergencyAccessIsRecordedOnce() {
        Caller hca = Caller.staff("Practitioner/doc", AccessRole.HEALTH_CARE_ASSISTANT)
                .scopes("user/*.cruds", "charnwood/break-glass");
        as(hca);
        as(DOC);
        before = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        assertThat(as(hca).post("/api/break-glass", "{\"patientId\":\"p2\",\"reason\":\"" + REASON + "\"}",
                "application/json").status()).isEqualTo(403);
        assertThat(as(DOC).post("/api/break-glass", "{\"patientId\":\"p2\",\"reason\":\"x\"}",
                "application/json").status()).isEqualTo(400);

        // The security alert is the record of each attempt: no page failure record beside it.
        assertThat(jdbc.queryForList("select subtype from audit.event where seq > ? order by seq", String.class,
                before)).containsExactly("break-glass", "break-glass");
    }

    @Test
    void aGrantWhoseAuditRecordCannotBeWrittenIsNotMade() {
        // A real failure of the trail: the database refuses the record, and the grant goes with it.
        jdbc.execute("alter table audit.event add constraint no_emergency_access_recorded"
                + " check (subtype is distinct from 'break-glass') not valid");
        try {
            Response refused = as(DOC).post("/api/break-glass",
                    "{\"patientId\":\"p2\",\"reason\":\"" + REASON + "\"}", "application/json");
            assertThat(refused.status()).isEqualTo(500);
        } finally {
            jdbc.execute("alter table audit.event drop constraint no_emergency_access_recorded");
        }
        assertThat(rows("access_break_glass")).isZero();
        assertThat(as(DOC).get("/fhir/Observation/p2-obs").status()).isEqualTo(404);
    }

    @Test
    void aRefusedOrRepeatedReviewIsRecordedAgainstTheGrantsPatient() {
        String grantId = grant("p2");
        Caller clinicianWithScope = Caller.staff("Practitioner/doc", CLINICIAN)
                .scopes("user/*.cruds", "charnwood/break-glass.review");
        String note = "{\"note\":\"Appropriate: patient unconscious\"}";
        as(clinicianWithScope);
        assertThat(as(IG).post("/api/break-glass/" + grantId + "/review", note, "application/json").status())
                .isEqualTo(200);
        long mark = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);

        assertThat(as(clinicianWithScope).post("/api/break-glass/" + grantId + "/review", note, "application/json")
                .status()).isEqualTo(403);
        assertThat(as(IG).post("/api/break-glass/" + grantId + "/review", note, "application/json").status())
                .isEqualTo(409);

        assertThat(jdbc.queryForList("select outcome::int || ' ' || coalesce(patients, '-') from audit.event"
                + " where seq > ? order by seq", String.class, mark)).containsExactly("4 p2", "4 p2");
    }

    @Test
    void aReviewIsRecordedWithItsChangeAndMadeOnce() {
        String grantId = grant("p2");

        Response reviewed = as(IG).post("/api/break-glass/" + grantId + "/review",
                "{\"note\":\"Appropriate: patient unconscious\"}", "application/json");
        assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(200);
        assertThat(auditTransaction("break-glass-review")).isEqualTo(grantTransaction(grantId));
        assertThat(jdbc.queryForMap("select type, action, outcome::int as outcome, who, patients from audit.event"
                + " where seq > ? and subtype = 'break-glass-review'", before)).containsEntry("action", "U")
                .containsEntry("outcome", 0).containsEntry("who", "Practitioner/gov")
                .containsEntry("patients", "p2")
                .containsEntry("type", "http://dicom.nema.org/resources/ontology/DCM|110113");

        Response again = as(IG).post("/api/break-glass/" + grantId + "/review",
                "{\"note\":\"Overwritten\"}", "application/json");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.outcome().getIssueFirstRep().getDiagnostics()).contains("reviewed already");
        assertThat(jdbc.queryForObject("select review_note from access_break_glass where grant_id = ?", String.class,
                grantId)).isEqualTo("Appropriate: patient unconscious");
        assertThat(jdbc.queryForObject("select count(*) from audit.event where seq > ?"
                + " and subtype = 'break-glass-review'", Long.class, before)).isOne();
    }

    @Test
    void theReviewListsRecordNamesEveryPatientItShows() {
        grant("p1");
        grant("p2");
        long listed = jdbc.queryForObject("select max(seq) from audit.event", Long.class);

        Response list = as(IG).get("/api/break-glass/reviews?status=unreviewed");
        assertThat(list.status()).isEqualTo(200);

        List<String> records = jdbc.queryForList("select action || ' ' || who || ' ' || patients from audit.event"
                + " where seq > ? and subtype = 'page'", String.class, listed);
        assertThat(records).singleElement().satisfies(r -> assertThat(r)
                .startsWith("R Practitioner/gov ").contains("p1").contains("p2"));
    }

    @Test
    void thePatientSeesTheReviewInTheirAccessHistory() {
        String grantId = grant("p2");
        as(IG).post("/api/break-glass/" + grantId + "/review", "{\"note\":\"Appropriate\"}", "application/json");

        Response history = as(Caller.patient("p2")).get("/fhir/AuditEvent?patient=p2");
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        assertThat(history.body()).contains("Reviewed an emergency access to your record",
                "Used emergency access to open your record");
    }
}
