package org.charnwood.app.workspace;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The staff pages are audited as the FHIR API is: a page that shows a record is recorded as the person's view of
 * it, naming every patient whose data it read; a change made through a page is recorded as the person's, in its
 * transaction; a refused page is recorded as refused; and the patient's "who has viewed my record" page lists
 * the staff member's view.
 */
class PageAuditIntegrationTests extends RecordEntryPagesTest {

    /** One audit row as the tests compare them. */
    record Seen(String type, String subtype, String action, int outcome, String who, String patients) {
    }

    private List<String> purposes() {
        return jdbc.queryForList("select coalesce(purpose, '-') from audit.event where seq > ? order by seq",
                String.class, before);
    }

    private static final String PATIENT_RECORD = "http://dicom.nema.org/resources/ontology/DCM|110110";
    private static final String REST = "http://terminology.hl7.org/CodeSystem/audit-event-type|rest";

    private long before;

    @BeforeEach
    void markTheEndOfTheTrail() {
        before = maxSeq();
    }

    private long maxSeq() {
        Long max = jdbc.queryForObject("select coalesce(max(seq), 0) from audit.event", Long.class);
        return max == null ? 0 : max;
    }

    private List<Seen> recorded() {
        return jdbc.query("select type, subtype, action, outcome, who, patients from audit.event where seq > ?"
                        + " order by seq",
                (rs, i) -> new Seen(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getString(5), rs.getString(6)), before);
    }

    @Test
    void openingAPatientsRecordIsRecordedAsTheNursesViewOfIt() {
        page(nurse, "/staff/patients/p1");

        assertThat(recorded()).containsExactly(
                new Seen(PATIENT_RECORD, "page", "R", 0, "Practitioner/staff-001", "p1"));
        String query = jdbc.queryForObject("select content from audit.event where seq > ? and subtype = 'page'",
                String.class, before);
        assertThat(query).contains("GET /staff/patients/p1");
        // What was shown, so that a view of the clinical record reads differently from one of demographics only.
        assertThat(query).containsPattern("Shown: .*Patient 1");
    }

    @Test
    void everyPageOfAPatientsRecordIsRecordedOnceAsAViewOfIt() {
        for (String path : List.of("/staff/patients/p1", "/staff/patients/p1/observations/new",
                "/staff/patients/p1/problems/new", "/staff/patients/p1/allergies/new",
                "/staff/patients/p1/care-plans/new", "/staff/wards/ward-a", "/staff/teams/team-ward-a")) {
            before = maxSeq();
            page(nurse, path);
            assertThat(recorded()).as(path).containsExactly(
                    new Seen(PATIENT_RECORD, "page", "R", 0, "Practitioner/staff-001", "p1"));
        }
    }

    @Test
    void aWardBoardIsRecordedAsAViewOfEveryPatientOnIt() {
        page(nurse, "/staff/wards/ward-a");

        assertThat(recorded()).containsExactly(
                new Seen(PATIENT_RECORD, "page", "R", 0, "Practitioner/staff-001", "p1"));
    }

    @Test
    void thePatientSeesTheNursesViewAmongThoseWhoViewedTheirRecord() {
        page(nurse, "/staff/patients/p1");

        String history = page(signedIn(org.charnwood.app.testing.TestTokens.Caller.patient("p1")),
                "/my/record-access");
        assertThat(history).contains("Viewed your record").doesNotContain("Nobody has viewed the record yet");
    }

    @Test
    void readingWhoHasViewedTheRecordIsRecordedNamingThePatientItIsAbout() {
        // The history is read from the audit trail, not the repository, and is still a view of the patient's record.
        HttpClient patient = signedIn(org.charnwood.app.testing.TestTokens.Caller.patient("p1"));
        before = maxSeq();
        page(patient, "/my/record-access");

        assertThat(recorded()).singleElement().satisfies(seen -> {
            assertThat(seen.subtype()).isEqualTo("page");
            assertThat(seen.action()).isEqualTo("R");
            assertThat(seen.patients()).isEqualTo("p1");
        });
    }

    @Test
    void aChangeMadeThroughAPageIsRecordedAsThePersonsInItsTransaction() {
        HttpResponse<String> r = submit(nurse, "/staff/patients/p1/problems/new", "/staff/patients/p1/problems",
                fields("problemTerm", "Synthetic heart-like organ disorder type alpha",
                        "problemCode", "10109999999103", "clinicalStatus", "active", "verificationStatus", "confirmed",
                        "onsetDay", "3", "onsetMonth", "11", "onsetYear", "2026"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);

        // The form page's view, then the change; the redirect that answers the form carries nothing to record.
        assertThat(recorded()).containsExactly(
                new Seen(PATIENT_RECORD, "page", "R", 0, "Practitioner/staff-001", "p1"),
                new Seen(REST, "create", "C", 0, "Practitioner/staff-001", "p1"));
        // Nothing typed into the form is kept in the trail.
        assertThat(jdbc.queryForList("select content from audit.event where seq > ?", String.class, before))
                .noneMatch(c -> c.contains("Synthetic heart-like"));
    }

    @Test
    void aPageThatReadsNoPatientsDataLeavesNothingToRecord() {
        before = maxSeq();
        HttpResponse<String> r = get(nurse, "/staff/patients");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(recorded()).isEmpty();
    }

    @Test
    void aRefusedChangeIsRecordedAsRefused() {
        HttpClient other = signedIn(OTHER_NURSE);
        before = maxSeq();
        Map<String, String> form = fields("problemTerm", "Synthetic heart-like organ disorder type alpha",
                "problemCode", "10109999999103", "clinicalStatus", "active", "verificationStatus", "confirmed",
                "onsetDay", "3", "onsetMonth", "11", "onsetYear", "2026");
        // The form is not offered to her; a post from a page opened earlier is refused and recorded as refused.
        HttpResponse<String> r = submit(other, SUMMARY, "/staff/patients/p1/problems", form);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(recorded()).extracting(Seen::who, Seen::action, Seen::outcome)
                .contains(org.assertj.core.groups.Tuple.tuple("Practitioner/staff-002", "U", 4));
    }

    @Test
    void aPageOpenedThroughABreakGlassGrantIsMarkedAsEmergencyAccess() {
        HttpClient other = signedIn(OTHER_NURSE);
        String html = page(other, "/staff/patients/p1");
        before = maxSeq();
        HttpResponse<String> granted = tokens.postForm(other, "http://localhost:" + port + "/api/break-glass",
                Map.of("_csrf", csrf(html), "patientId", "p1",
                        "reason", "Found collapsed on the corridor, no relationship recorded yet"), true);
        assertThat(granted.statusCode()).isEqualTo(302);
        // The grant's own record stands for the request that made it.
        assertThat(recorded()).extracting(Seen::subtype).containsExactly("break-glass");

        before = maxSeq();
        page(other, "/staff/patients/p1");
        assertThat(recorded()).containsExactly(
                new Seen(PATIENT_RECORD, "page", "R", 0, "Practitioner/staff-002", "p1"));
        assertThat(purposes()).containsExactly("BTG");
    }

    @Test
    void aFormShownAgainWithItsProblemsIsRecordedAsNotDoneRatherThanAsAChange() {
        HttpResponse<String> r = submit(nurse, "/staff/patients/p1/problems/new", "/staff/patients/p1/problems",
                fields("problemTerm", "", "clinicalStatus", "active", "verificationStatus", "confirmed"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);

        assertThat(recorded()).containsExactly(
                new Seen(PATIENT_RECORD, "page", "R", 0, "Practitioner/staff-001", "p1"),
                new Seen(PATIENT_RECORD, "page", "U", 4, "Practitioner/staff-001", "p1"));
    }

    @Test
    void aPatientSearchIsRecordedAsAQueryNotAsAChange() {
        HttpResponse<String> r = submit(nurse, "/staff/patients", "/staff/patients",
                fields("by", "postcode", "postcode", "LE11 3NP"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        assertThat(recorded()).containsExactly(
                new Seen(PATIENT_RECORD, "page", "E", 0, "Practitioner/staff-001", "p1"));
    }

    @Test
    void refusalsMadeBeforeAnyPageRunsAreRecordedAsRefusals() {
        HttpClient patient = signedIn(org.charnwood.app.testing.TestTokens.Caller.patient("p1"));
        before = maxSeq();
        assertThat(get(patient, "/staff/patients/p1").statusCode()).isEqualTo(403);
        assertThat(recorded()).extracting(Seen::who, Seen::action, Seen::outcome, Seen::patients)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Patient/p1", "R", 4, "p1"));

        before = maxSeq();
        assertThat(get(nurse, "/my/record-access").statusCode()).isEqualTo(403);
        assertThat(recorded()).extracting(Seen::who, Seen::action, Seen::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Practitioner/staff-001", "R", 4));

        // A form post without its CSRF token.
        before = maxSeq();
        HttpResponse<String> forged = tokens.postForm(nurse, "http://localhost:" + port + "/staff/patients/p1/problems",
                fields("problemTerm", "x"), true);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(recorded()).extracting(Seen::who, Seen::action, Seen::outcome, Seen::patients)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Practitioner/staff-001", "U", 4, "p1"));
        assertThat(jdbc.queryForObject("select content from audit.event where seq > ?", String.class, before))
                .contains("POST /staff/patients/p1/problems");
    }

    @Test
    void aTokenRefusedAnApiForWantOfItsScopeIsRecordedAsARefusal() throws Exception {
        String token = tokens.system();
        before = maxSeq();
        HttpResponse<String> r = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/api/break-glass/reviews"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(recorded()).extracting(Seen::action, Seen::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("R", 4));
    }

    @Test
    void aRefusedOrFailedRequestNamesThePatientItWasAimedAtWhenTheyExist() {
        // A patient of another record asks for p1's access history: refused, and on p1's trail.
        HttpClient someoneElse = signedIn(org.charnwood.app.testing.TestTokens.Caller.patient("p2"));
        before = maxSeq();
        HttpResponse<String> r = get(someoneElse, "/my/record-access?patient=p1");
        assertThat(r.statusCode()).as(r.body()).isGreaterThanOrEqualTo(400);
        assertThat(recorded()).extracting(Seen::who, Seen::outcome, Seen::patients)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Patient/p2", 4, "p1"));

        // An id that is no patient's is not written into the trail.
        before = maxSeq();
        assertThat(get(nurse, "/staff/patients/nobody-here").statusCode()).isEqualTo(404);
        assertThat(recorded()).singleElement().satisfies(seen -> {
            assertThat(seen.outcome()).isEqualTo(4);
            assertThat(seen.patients()).isNullOrEmpty();
        });
    }

    @Test
    void aLaunchContextMadeForAnAppIsRecordedNamingThePatient() {
        tokens.mintLaunch(nurse, "p1", null);

        assertThat(recorded()).containsExactly(
                new Seen(PATIENT_RECORD, "page", "C", 0, "Practitioner/staff-001", "p1"));
    }
}
