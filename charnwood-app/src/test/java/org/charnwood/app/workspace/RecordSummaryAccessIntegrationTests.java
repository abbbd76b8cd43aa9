package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.policy.CareRelationships;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the record summary leaves out for a nurse who cares for the patient and for another patient of the same
 * team, but may not see very restricted (V) entries: each list shows what she may see of this patient and nothing
 * of the other patient; the banner says part of the record is restricted whenever something of the patient is
 * hidden from her. Emergency access does not lift labels, so it is not offered to her for what they hide: she
 * already has a relationship with the patient.
 */
class RecordSummaryAccessIntegrationTests extends CharnwoodIntegrationTest {

    private static final TestTokens.Caller WARD_NURSE = TestTokens.Caller.staff("Practitioner/staff-001",
            AccessRole.REGISTERED_NURSE);
    private static final String VERY_RESTRICTED = """
            "meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"V"}]},""";

    @Autowired
    CareRelationships relationships;

    @BeforeEach
    void twoPatientsOfTheWardTeam() {
        WardFixture.load(http);
        put("Patient/p2", """
                {"resourceType":"Patient","id":"p2","name":[{"family":"Fenn","given":["Arthur"]}],
                 "birthDate":"1950-01-02"}""");
        put("EpisodeOfCare/e2", """
                {"resourceType":"EpisodeOfCare","id":"e2","status":"active","patient":{"reference":"Patient/p2"},
                 "team":[{"reference":"CareTeam/team-ward-a"}],"period":{"start":"2026-11-20"}}""");
        put("Observation/p2-pulse", vitalSign("p2-pulse", "p2", "Heart rate of the other patient", ""));
        put("Observation/p1-pulse", vitalSign("p1-pulse", "p1", "Heart rate seen by the ward", ""));
        relationships.forgetAll();
    }

    @Test
    void aNurseSeesThePatientsOwnVitalSignsAndNothingHiddenWhenNothingIsRestricted() {
        String html = summary();
        assertThat(html).contains("Heart rate seen by the ward", "Chronic obstructive pulmonary disease");
        assertThat(html).doesNotContain("Heart rate of the other patient", "id=\"break-glass\"");
    }

    @Test
    void aVeryRestrictedVitalSignIsLeftOutWithoutOfferingBreakGlass() {
        put("Observation/p1-secret", vitalSign("p1-secret", "p1", "Heart rate kept very restricted",
                VERY_RESTRICTED));
        String html = summary();
        assertThat(html).contains("Heart rate seen by the ward", "id=\"banner-restricted\"");
        assertThat(html).doesNotContain("id=\"break-glass\"");
        assertThat(html).doesNotContain("Heart rate kept very restricted");
    }

    @Test
    void aVeryRestrictedEntryNoListShowsMarksTheBannerWithoutOfferingBreakGlass() {
        put("Observation/p1-lab", """
                {"resourceType":"Observation","id":"p1-lab",%s"status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",
                   "code":"laboratory"}]}],
                 "code":{"text":"HIV viral load"},"subject":{"reference":"Patient/p1"},
                 "effectiveDateTime":"2026-11-21T09:00:00+00:00","valueString":"not detected"}""".formatted(
                VERY_RESTRICTED));
        String html = summary();
        assertThat(html).contains("Heart rate seen by the ward", "id=\"banner-restricted\"");
        assertThat(html).doesNotContain("HIV viral load", "id=\"break-glass\"");
    }

    @Test
    void aVeryRestrictedProblemIsLeftOutOfTheProblemList() {
        put("Condition/c-secret", """
                {"resourceType":"Condition","id":"c-secret",%s"subject":{"reference":"Patient/p1"},
                 "code":{"text":"Problem kept very restricted"},"onsetDateTime":"2020-01-01"}""".formatted(
                VERY_RESTRICTED));
        String html = summary();
        assertThat(html).contains("Chronic obstructive pulmonary disease", "id=\"banner-restricted\"");
        assertThat(html).doesNotContain("id=\"break-glass\"");
        assertThat(html).doesNotContain("Problem kept very restricted");
    }

    @Test
    void aVeryRestrictedVitalSignBeyondTheFirstPageIsLeftOutWithoutOfferingBreakGlass() {
        moreVitalSignsThanTheSummaryShows();
        put("Observation/p1-secret", vitalSign("p1-secret", "p1", "Heart rate kept very restricted",
                VERY_RESTRICTED));
        String html = summary();
        assertThat(html).contains("Heart rate number 15", "id=\"banner-restricted\"");
        assertThat(html).doesNotContain("id=\"break-glass\"");
        assertThat(html).doesNotContain("Heart rate kept very restricted");
    }

    @Test
    void aLongListOfVitalSignsWithNothingOfItHiddenOffersNoBreakGlass() {
        moreVitalSignsThanTheSummaryShows();
        put("Observation/p1-lab", """
                {"resourceType":"Observation","id":"p1-lab",%s"status":"final",
                 "code":{"text":"HIV viral load"},"subject":{"reference":"Patient/p1"},
                 "effectiveDateTime":"2026-11-21T09:00:00+00:00","valueString":"not detected"}""".formatted(
                VERY_RESTRICTED));
        String html = summary();
        assertThat(html).contains("Heart rate number 15", "id=\"banner-restricted\"");
        assertThat(html).doesNotContain("HIV viral load", "id=\"break-glass\"");
    }

    /** Twenty vital signs, newer than the others: more than the summary's list of fourteen. */
    private void moreVitalSignsThanTheSummaryShows() {
        for (int i = 1; i <= 20; i++) {
            put("Observation/p1-more-" + i, vitalSign("p1-more-" + i, "p1", "Heart rate number " + i, "")
                    .replace("2026-11-21T08:00:00", "2026-11-22T%02d:00:00".formatted(i)));
        }
    }

    private String summary() {
        HttpClient browser = TestTokens.browser();
        tokens.signIn(browser, tokens.account(WARD_NURSE), TestTokens.PASSWORD);
        HttpResponse<String> r = tokens.get(browser, "http://localhost:" + port + "/staff/patients/p1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static String vitalSign(String id, String patient, String text, String meta) {
        return """
                {"resourceType":"Observation","id":"%s",%s"status":"final",
                 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",
                   "code":"vital-signs"}]}],
                 "code":{"text":"%s"},"subject":{"reference":"Patient/%s"},
                 "effectiveDateTime":"2026-11-21T08:00:00+00:00",
                 "valueQuantity":{"value":72,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}}"""
                .formatted(id, meta, text, patient);
    }

    private void put(String path, String json) {
        int status = http.put("/fhir/" + path, json, "application/fhir+json").status();
        assertThat(status).as("PUT " + path).isIn(200, 201);
    }
}
