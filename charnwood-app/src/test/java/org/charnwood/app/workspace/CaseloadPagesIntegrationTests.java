package org.charnwood.app.workspace;

import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.workspace.ContactFixture.*;

/**
 * "My caseload" over HTTP: the open episodes of the teams the signed-in nurse belongs to (directly, or through a
 * PractitionerRole as the demo trust links staff to teams), not other teams' episodes, and today's appointments and
 * contacts.
 */
class CaseloadPagesIntegrationTests extends CharnwoodIntegrationTest {

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void twoTeamsAndThreePatients() {
        Instant now = clock.instant();
        ContactFixture.load(http, now);
        LocalDate today = LocalDate.ofInstant(now, ZoneId.of("Europe/London"));
        // The nurse is also in a district nursing team, through her PractitionerRole.
        put(http, "PractitionerRole/role-001", """
                {"resourceType":"PractitionerRole","id":"role-001","active":true,
                 "practitioner":{"reference":"Practitioner/staff-001"}}""");
        put(http, "CareTeam/team-dn", """
                {"resourceType":"CareTeam","id":"team-dn","status":"active","name":"District nursing North",
                 "participant":[{"member":{"reference":"PractitionerRole/role-001"}}]}""");
        put(http, "CareTeam/team-other", """
                {"resourceType":"CareTeam","id":"team-other","status":"active","name":"Crisis team"}""");
        patient(http, "p2", "Holt", "Arthur", "9990000026");
        patient(http, "p3", "Reyes", "Maria", "9990000034");
        put(http, "EpisodeOfCare/e2", """
                {"resourceType":"EpisodeOfCare","id":"e2","status":"active","patient":{"reference":"Patient/p2"},
                 "type":[{"text":"District nursing"}],"team":[{"reference":"CareTeam/team-dn"}],
                 "period":{"start":"2026-01-10"}}""");
        put(http, "EpisodeOfCare/e3", """
                {"resourceType":"EpisodeOfCare","id":"e3","status":"active","patient":{"reference":"Patient/p3"},
                 "type":[{"text":"Crisis resolution"}],"team":[{"reference":"CareTeam/team-other"}],
                 "period":{"start":"2026-01-10"}}""");
        put(http, "Appointment/a1", """
                {"resourceType":"Appointment","id":"a1","status":"booked","description":"Dressing change",
                 "start":"%sT14:00:00Z","end":"%sT14:30:00Z",
                 "participant":[{"actor":{"reference":"Patient/p2"},"status":"accepted"},
                                {"actor":{"reference":"PractitionerRole/role-001"},"status":"accepted"}]}"""
                .formatted(today, today));
        put(http, "Encounter/today", """
                {"resourceType":"Encounter","id":"today","status":"finished",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"VR"},
                 "subject":{"reference":"Patient/p1"},
                 "participant":[{"individual":{"reference":"Practitioner/staff-001"}}],
                 "period":{"start":"%sT00:01:00Z","end":"%sT00:20:00Z"}}""".formatted(today, today));
        relationships.forgetAll();
    }

    private static void patient(org.charnwood.app.testing.FhirHttp http, String id, String family, String given,
                                String nhs) {
        put(http, "Patient/" + id, """
                {"resourceType":"Patient","id":"%s",
                 "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}],
                 "name":[{"use":"official","family":"%s","given":["%s"]}],"gender":"male","birthDate":"1950-01-01"}"""
                .formatted(id, nhs, family, given));
    }

    @Test
    void theTeamsToChooseFromAreTeamsAndNotPatientsCareTeams() {
        put(http, "CareTeam/arthurs", """
                {"resourceType":"CareTeam","id":"arthurs","status":"active","name":"Arthur Holt's care team",
                 "subject":{"reference":"Patient/p2"},
                 "participant":[{"member":{"reference":"Practitioner/staff-001"}}]}""");
        HttpClient nurse = signedIn(tokens, WARD_NURSE);
        String page = body(tokens.get(nurse, "http://localhost:" + port + "/staff/teams"), 200);
        assertThat(page).contains("District nursing North", "Crisis team", "/staff/teams/team-dn")
                .doesNotContain("Arthur Holt", "/staff/teams/arthurs");
    }

    @Test
    void aTeamBoardFindsItsPatientsHoweverManyEpisodesOtherTeamsHaveOpen() {
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; i < 1000; i++) {
            bundle.append(i == 0 ? "" : ",").append("""
                    {"resource":{"resourceType":"EpisodeOfCare","status":"active","patient":{"reference":"Patient/p3"},
                     "team":[{"reference":"CareTeam/team-other"}]},"request":{"method":"POST","url":"EpisodeOfCare"}}""");
        }
        bundle.append("]}");
        assertThat(http.post("/fhir", bundle.toString(), "application/fhir+json").status()).isEqualTo(200);
        patient(http, "p4", "Quinn", "Nora", "9990000042");
        put(http, "EpisodeOfCare/e4", """
                {"resourceType":"EpisodeOfCare","id":"e4","status":"active","patient":{"reference":"Patient/p4"},
                 "type":[{"text":"District nursing"}],"team":[{"reference":"CareTeam/team-dn"}],
                 "period":{"start":"2026-02-01"}}""");
        relationships.forgetAll();
        HttpClient nurse = signedIn(tokens, WARD_NURSE);
        String board = body(tokens.get(nurse, "http://localhost:" + port + "/staff/teams/team-dn"), 200);
        assertThat(board).contains("HOLT, Arthur", "QUINN, Nora").doesNotContain("REYES, Maria");
    }

    @Test
    void showsTheOpenEpisodesOfMyTeamsAndTodaysContacts() {
        HttpClient nurse = signedIn(tokens, WARD_NURSE);
        String page = body(tokens.get(nurse, "http://localhost:" + port + "/staff/caseload"), 200);
        assertThat(page).contains("<title>My caseload", "District nursing North", "Ward A team");
        assertThat(page).contains("MARSH, Edith", "HOLT, Arthur", "Inpatient care", "District nursing");
        assertThat(page).doesNotContain("REYES, Maria", "Crisis resolution");
        assertThat(page).contains("Dressing change", "Telephone or video");
        assertThat(page).contains("href=\"/staff/caseload\"");
    }

    @Test
    void someoneInNoTeamHasAnEmptyCaseload() {
        HttpClient other = signedIn(tokens, OTHER_NURSE);
        String page = body(tokens.get(other, "http://localhost:" + port + "/staff/caseload"), 200);
        assertThat(page).contains("id=\"no-teams\"").doesNotContain("MARSH, Edith", "HOLT, Arthur");
    }
}
