package org.charnwood.app.workspace;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.TestTokens;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allergies over HTTP as a signed-in nurse: a substance and reaction within their constraints, everything that
 * can be wrong with the form, "no known allergies" only while no allergy is active, marking an allergy entered
 * in error, a nurse without a relationship, and two people changing the same allergy.
 */
class AllergyPagesIntegrationTests extends RecordEntryPagesTest {

    private static final String NEW = "/staff/patients/p1/allergies/new";
    private static final String POST = "/staff/patients/p1/allergies";
    private static final String AMOXICILLIN = "372687004";
    private static final String RESTRICTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    private HttpResponse<String> add(Map<String, String> fields) {
        return submit(nurse, NEW, POST, fields);
    }

    private static Map<String, String> valid(String... more) {
        Map<String, String> f = fields("substanceTerm", "Amoxicillin", "substanceCode", AMOXICILLIN,
                "type", "allergy", "criticality", "high", "clinicalStatus", "active",
                "verificationStatus", "confirmed", "reactionTerm", "Anaphylaxis", "reactionCode", "",
                "severity", "severe", "onsetDay", "", "onsetMonth", "", "onsetYear", "");
        for (int i = 0; i < more.length; i += 2) {
            f.put(more[i], more[i + 1]);
        }
        return f;
    }

    private List<AllergyIntolerance> allergies(String query) {
        return http.get("/fhir/AllergyIntolerance?patient=Patient/p1" + query).bundle().getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource).map(AllergyIntolerance.class::cast).toList();
    }

    @Test
    void anAllergyWithItsReactionIsSavedAndShownOnTheSummary() {
        redirectedToSummary(add(valid()), "allergies");
        List<AllergyIntolerance> saved = allergies("&code=" + AMOXICILLIN);
        assertThat(saved).hasSize(1);
        AllergyIntolerance allergy = saved.get(0);
        assertThat(allergy.getType()).isEqualTo(AllergyIntolerance.AllergyIntoleranceType.ALLERGY);
        assertThat(allergy.getCriticality()).isEqualTo(AllergyIntolerance.AllergyIntoleranceCriticality.HIGH);
        assertThat(allergy.getReactionFirstRep().getManifestationFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("39579001");
        assertThat(allergy.getReactionFirstRep().getSeverity())
                .isEqualTo(AllergyIntolerance.AllergyIntoleranceSeverity.SEVERE);
        assertThat(page(nurse, "/staff/patients/p1")).contains("Amoxicillin", "Anaphylaxis", "id=\"add-allergies\"");
    }

    @Test
    void aSubstanceOrReactionOutsideItsConstraintAndOtherMistakesAreRefusedAndNothingIsSaved() {
        assertThat(add(valid("substanceCode", "10109999999103", "substanceTerm", "")).body())
                .contains("is not a substance or a pharmaceutical or biologic product");
        assertThat(add(valid("substanceCode", "", "substanceTerm", "Synthetic heart-like organ disorder type alpha"))
                .body()).contains("is not a substance or a pharmaceutical or biologic product");
        assertThat(add(valid("reactionCode", "10249999999106", "reactionTerm", "")).body())
                .contains("is not a clinical finding", "href=\"#reactionTerm\"");
        assertThat(add(valid("substanceCode", "", "substanceTerm", "")).body()).contains("Enter the substance or product");
        assertThat(add(valid("type", "sneeze")).body()).contains("Select allergy or intolerance");
        assertThat(add(valid("criticality", "extreme")).body()).contains("Select the risk of a severe reaction");
        assertThat(add(valid("clinicalStatus", "")).body()).contains("Select whether the allergy is active");
        assertThat(add(valid("verificationStatus", "")).body()).contains("Select how certain the allergy is");
        assertThat(add(valid("severity", "awful")).body()).contains("Select how severe the reaction was");
        assertThat(add(valid("reactionTerm", "")).body()).contains("Enter the reaction the severity is for");
        assertThat(add(valid("onsetDay", "40", "onsetMonth", "1", "onsetYear", "2020")).body())
                .contains("The date it started must be a real date");
        assertThat(allergies("")).hasSize(1);
    }

    @Test
    void noKnownAllergiesIsRecordedOnlyWhileNoAllergyIsActiveAndEndsWhenOneIsRecorded() {
        String form = page(nurse, NEW);
        HttpResponse<String> refused = tokens.postForm(nurse, "http://localhost:" + port + POST + "/none",
                Map.of("_csrf", csrf(form)), true);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("has an active allergy recorded");
        assertThat(allergies("&code=716186003")).isEmpty();

        // The fixture's penicillin allergy is withdrawn: then "no known allergies" may be recorded.
        AllergyIntolerance penicillin = http.get("/fhir/AllergyIntolerance/a1").resource(AllergyIntolerance.class);
        penicillin.getClinicalStatus().getCodingFirstRep().setCode("inactive");
        assertThat(http.putJson("/fhir/AllergyIntolerance/a1", penicillin).status()).isEqualTo(200);
        HttpResponse<String> recorded = tokens.postForm(nurse, "http://localhost:" + port + POST + "/none",
                Map.of("_csrf", csrf(form)), true);
        redirectedToSummary(recorded, "allergies");
        assertThat(allergies("&code=716186003&clinical-status=active")).hasSize(1);
        assertThat(page(nurse, "/staff/patients/p1")).contains("No known allergy");

        redirectedToSummary(add(valid()), "allergies");
        assertThat(allergies("&code=716186003&clinical-status=active")).as("no longer true").isEmpty();
        assertThat(allergies("&code=716186003&clinical-status=inactive")).hasSize(1);
    }

    @Test
    void anAllergyHiddenFromAHealthCareAssistantStillStopsNoKnownAllergiesWithoutBeingMentioned() {
        AllergyIntolerance penicillin = http.get("/fhir/AllergyIntolerance/a1").resource(AllergyIntolerance.class);
        penicillin.getMeta().addSecurity(RESTRICTED_SYSTEM, "R", "restricted");
        assertThat(http.putJson("/fhir/AllergyIntolerance/a1", penicillin).status()).isEqualTo(200);
        HttpClient hca = signedIn(TestTokens.Caller.staff("Practitioner/staff-001", AccessRole.HEALTH_CARE_ASSISTANT));

        HttpResponse<String> refused = submit(hca, NEW, POST + "/none", Map.of());
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("You cannot record no known allergies for this patient. Ask a registered"
                + " clinician in their care team to review their allergies.")
                .doesNotContain("has an active allergy recorded", "Penicillin");
        assertThat(allergies("&code=716186003")).isEmpty();
        // The nurse, who may see the allergy, is told what is in the way.
        assertThat(submit(nurse, NEW, POST + "/none", Map.of()).body()).contains("has an active allergy recorded");
    }

    @Test
    void anAllergyRecordedByAHealthCareAssistantLeavesAHiddenNoKnownAllergiesAlone() {
        AllergyIntolerance penicillin = http.get("/fhir/AllergyIntolerance/a1").resource(AllergyIntolerance.class);
        penicillin.getClinicalStatus().getCodingFirstRep().setCode("inactive");
        assertThat(http.putJson("/fhir/AllergyIntolerance/a1", penicillin).status()).isEqualTo(200);
        assertThat(http.put("/fhir/AllergyIntolerance/nka-hidden", """
                {"resourceType":"AllergyIntolerance","id":"nka-hidden","patient":{"reference":"Patient/p1"},
                 "meta":{"security":[{"system":"%s","code":"R"}]},
                 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},
                 "code":{"coding":[{"system":"http://snomed.info/sct","code":"716186003"}],"text":"No known allergy"}}"""
                .formatted(RESTRICTED_SYSTEM), "application/fhir+json").status()).isEqualTo(201);
        HttpClient hca = signedIn(TestTokens.Caller.staff("Practitioner/staff-001", AccessRole.HEALTH_CARE_ASSISTANT));

        redirectedToSummary(submit(hca, NEW, POST, valid()), "allergies");
        assertThat(allergies("&code=" + AMOXICILLIN)).hasSize(1);
        AllergyIntolerance hidden = http.get("/fhir/AllergyIntolerance/nka-hidden").resource(AllergyIntolerance.class);
        assertThat(hidden.getMeta().getVersionId()).as("not changed by someone who may not see it").isEqualTo("1");
        assertThat(hidden.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("active");
    }

    @Test
    void anAllergyRecordedByMistakeIsMarkedEnteredInErrorAndAConcurrentChangeIsNotOverwritten() {
        redirectedToSummary(add(valid()), "allergies");
        AllergyIntolerance allergy = allergies("&code=" + AMOXICILLIN).get(0);
        String id = allergy.getIdElement().getIdPart();
        String edit = "/staff/patients/p1/allergies/" + id;
        assertThat(page(nurse, edit)).contains("value=\"Amoxicillin\"", "value=\"Anaphylaxis\"");

        redirectedToSummary(submit(nurse, edit, edit, valid("version", "1", "verificationStatus", "entered-in-error",
                "reactionCode", "39579001")), "allergies");
        AllergyIntolerance withdrawn = http.get("/fhir/AllergyIntolerance/" + id).resource(AllergyIntolerance.class);
        assertThat(withdrawn.getVerificationStatus().getCodingFirstRep().getCode()).isEqualTo("entered-in-error");
        assertThat(withdrawn.hasClinicalStatus()).isFalse();

        HttpResponse<String> stale = submit(nurse, edit, edit, valid("version", "1", "clinicalStatus", "inactive"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("id=\"conflict\"", "Someone else changed this allergy");
        assertThat(http.get("/fhir/AllergyIntolerance/" + id).resource(AllergyIntolerance.class)
                .getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void aNurseWithoutARelationshipIsRefusedAndNothingIsSaved() {
        HttpClient other = signedIn(OTHER_NURSE);
        // The form is not offered (the refusal says why); a post from a page opened earlier is refused too.
        HttpResponse<String> form = get(other, NEW);
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains("You do not have a care relationship with this patient");
        assertThat(submit(other, SUMMARY, POST, valid()).statusCode()).isEqualTo(403);
        assertThat(submit(other, SUMMARY, POST + "/none", Map.of()).statusCode()).isEqualTo(403);
        assertThat(submit(other, SUMMARY, "/staff/patients/p1/allergies/a1", valid("version", "1")).statusCode())
                .isEqualTo(403);
        assertThat(allergies("")).hasSize(1);
    }
}
