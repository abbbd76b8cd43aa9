package org.charnwood.app.workspace;

import org.hl7.fhir.r4.model.Condition;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding and changing problems over HTTP as a signed-in nurse: a code chosen in the browser, a term typed without
 * scripts (one match, several, none, outside the clinical-finding constraint), every kind of bad date and status,
 * a nurse without a relationship, and two people changing the same problem.
 */
class ProblemPagesIntegrationTests extends RecordEntryPagesTest {

    private static final String NEW = "/staff/patients/p1/problems/new";
    private static final String POST = "/staff/patients/p1/problems";
    private static final String ALPHA = "10109999999103";

    private HttpResponse<String> add(Map<String, String> fields) {
        return submit(nurse, NEW, POST, fields);
    }

    private static Map<String, String> valid(String... more) {
        Map<String, String> f = fields("problemTerm", "Synthetic heart-like organ disorder type alpha",
                "problemCode", ALPHA, "clinicalStatus", "active", "verificationStatus", "confirmed",
                "onsetDay", "3", "onsetMonth", "11", "onsetYear", "2026");
        for (int i = 0; i < more.length; i += 2) {
            f.put(more[i], more[i + 1]);
        }
        return f;
    }

    private Condition added() {
        var entries = http.get("/fhir/Condition?subject=Patient/p1&code=" + ALPHA).bundle()
                .getEntry();
        assertThat(entries).hasSize(1);
        return (Condition) entries.get(0).getResource();
    }

    @Test
    void aProblemChosenFromTheTypeaheadIsSavedAsAProblemListConditionAndShownOnTheSummary() {
        redirectedToSummary(add(valid()), "problems");

        Condition condition = added();
        assertThat(condition.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");
        assertThat(condition.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("problem-list-item");
        assertThat(condition.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("active");
        assertThat(condition.getVerificationStatus().getCodingFirstRep().getCode()).isEqualTo("confirmed");
        assertThat(condition.getOnsetDateTimeType().getValueAsString()).isEqualTo("2026-11-03");
        assertThat(condition.getRecorder().getReference()).isEqualTo("Practitioner/staff-001");

        String summary = page(nurse, "/staff/patients/p1");
        assertThat(summary).contains("Synthetic heart-like organ disorder type alpha",
                "href=\"/staff/patients/p1/problems/" + condition.getIdElement().getIdPart() + "\"",
                "id=\"add-problems\"");
    }

    @Test
    void aTermTypedWithoutScriptsThatMatchesOneProblemIsUsed() {
        redirectedToSummary(add(valid("problemCode", "", "problemTerm", "gland disorder type gamma")),
                "problems");
        assertThat(count("Condition?subject=Patient/p1&code=10179999999107")).isEqualTo(1);
    }

    @Test
    void aTermMatchingSeveralProblemsListsThemToChooseFromAndTheChoiceIsSaved() {
        HttpResponse<String> r = add(valid("problemCode", "", "problemTerm", "heart-like organ disorder type"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("<title>Error: Add a problem", "More than one problem matches",
                "name=\"problemChoice\"", "value=\"" + ALPHA + "\"", "value=\"10119999999101\"");
        assertThat(count("Condition?subject=Patient/p1")).isEqualTo(1);

        redirectedToSummary(add(valid("problemCode", "", "problemTerm", "heart-like organ disorder type",
                "problemChoice", ALPHA)), "problems");
        added();
    }

    @Test
    void aCodeOrTermOutsideTheClinicalFindingConstraintIsRefusedAndNothingIsSaved() {
        HttpResponse<String> procedure = add(valid("problemCode", "10249999999106", "problemTerm", "Synthetic procedure"));
        assertThat(procedure.statusCode()).isEqualTo(422);
        assertThat(procedure.body()).contains("nhsuk-error-summary", "is not a clinical finding",
                "href=\"#problemTerm\"");

        HttpResponse<String> typed = add(valid("problemCode", "", "problemTerm", "Synthetic heart-like organ examination"));
        assertThat(typed.body()).contains("is not a clinical finding");

        HttpResponse<String> nothing = add(valid("problemCode", "", "problemTerm", "zzqx nonsense"));
        assertThat(nothing.body()).contains("No problem matches ‘zzqx nonsense’");

        HttpResponse<String> forged = add(valid("problemCode", "12345x", "problemTerm", ""));
        assertThat(forged.body()).contains("Choose a problem from the list");

        HttpResponse<String> empty = add(valid("problemCode", "", "problemTerm", ""));
        assertThat(empty.body()).contains("Enter the problem");

        assertThat(count("Condition?subject=Patient/p1")).isEqualTo(1);
    }

    @Test
    void badStatusesAndDatesAreEachExplainedAndNothingIsSaved() {
        assertThat(add(valid("clinicalStatus", "")).body()).contains("Select the clinical status of the problem");
        assertThat(add(valid("verificationStatus", "maybe")).body()).contains("Select how certain the problem is");
        assertThat(add(valid("onsetDay", "31", "onsetMonth", "2")).body())
                .contains("The date the problem started must be a real date");
        assertThat(add(valid("onsetMonth", "")).body()).contains("must include a day, month and year");
        assertThat(add(valid("onsetYear", "2027")).body()).contains("must be today or in the past");
        assertThat(add(valid("clinicalStatus", "resolved")).body()).contains("Enter the date the problem resolved");
        assertThat(add(valid("abatementDay", "4", "abatementMonth", "11", "abatementYear", "2026")).body())
                .contains("Only a resolved, inactive or in remission problem has an end date");
        assertThat(add(valid("clinicalStatus", "resolved", "abatementDay", "1", "abatementMonth", "11",
                "abatementYear", "2026")).body()).contains("must be on or after the date it started");
        assertThat(count("Condition?subject=Patient/p1")).isEqualTo(1);
    }

    @Test
    void aProblemIsResolvedWithTheDateItEnded() {
        redirectedToSummary(add(valid()), "problems");
        String id = added().getIdElement().getIdPart();
        String edit = "/staff/patients/p1/problems/" + id;
        String form = page(nurse, edit);
        assertThat(form).contains("Change a problem", "name=\"version\" value=\"1\"",
                "value=\"Synthetic heart-like organ disorder type alpha\"");

        redirectedToSummary(submit(nurse, edit, edit, valid("version", "1", "clinicalStatus", "resolved",
                "abatementDay", "20", "abatementMonth", "11", "abatementYear", "2026")), "problems");
        Condition resolved = added();
        assertThat(resolved.getMeta().getVersionId()).isEqualTo("2");
        assertThat(resolved.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("resolved");
        assertThat(resolved.getAbatementDateTimeType().getValueAsString()).isEqualTo("2026-11-20");
        assertThat(resolved.getRecorder().getReference()).as("the rest of the Condition is kept")
                .isEqualTo("Practitioner/staff-001");
    }

    @Test
    void aChangeSavedBySomeoneElseFirstIsNotOverwritten() {
        redirectedToSummary(add(valid()), "problems");
        Condition condition = added();
        String id = condition.getIdElement().getIdPart();
        String edit = "/staff/patients/p1/problems/" + id;
        String csrf = csrf(page(nurse, edit));

        condition.getNote().add(new org.hl7.fhir.r4.model.Annotation().setText("Reviewed by the ward doctor"));
        condition.getVerificationStatus().getCodingFirstRep().setCode("provisional");
        condition.setId(id);
        assertThat(http.putJson("/fhir/Condition/" + id, condition).status()).isEqualTo(200);

        Map<String, String> mine = valid("version", "1", "clinicalStatus", "inactive");
        mine.put("_csrf", csrf);
        HttpResponse<String> r = tokens.postForm(nurse, "http://localhost:" + port + edit, mine, true);
        assertThat(r.statusCode()).as("a conflict, not a page that looks saved").isEqualTo(409);
        assertThat(r.body()).contains("id=\"conflict\"", "Someone else changed this problem after you opened it",
                "your changes have not been saved", "name=\"version\" value=\"2\"");
        // What is stored now is shown: the other person's verification status.
        assertThat(r.body()).containsPattern("id=\"stored-now\"[\\s\\S]*Verification[\\s\\S]*Provisional");
        // What this nurse typed is kept in the form, to save again over what they have now seen.
        assertThat(r.body()).containsPattern("value=\"inactive\"\\s+checked");
        Condition now = added();
        assertThat(now.getMeta().getVersionId()).isEqualTo("2");
        assertThat(now.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("active");
        assertThat(now.getNoteFirstRep().getText()).isEqualTo("Reviewed by the ward doctor");

        mine.put("version", "2");
        mine.put("_csrf", csrf(r.body()));
        redirectedToSummary(tokens.postForm(nurse, "http://localhost:" + port + edit, mine, true), "problems");
        Condition reapplied = added();
        assertThat(reapplied.getMeta().getVersionId()).isEqualTo("3");
        assertThat(reapplied.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("inactive");
        assertThat(reapplied.getNoteFirstRep().getText()).as("the other change is kept").isEqualTo(
                "Reviewed by the ward doctor");
    }

    @Test
    void aNurseWithoutARelationshipIsRefusedAndNothingIsSaved() {
        HttpClient other = signedIn(OTHER_NURSE);
        // The form is not offered (the refusal says why); a post from a page opened earlier is refused too.
        HttpResponse<String> form = get(other, NEW);
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains("You do not have a care relationship with this patient");
        HttpResponse<String> r = submit(other, SUMMARY, POST, valid());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(count("Condition?subject=Patient/p1")).as("only the fixture's problem").isEqualTo(1);

        HttpResponse<String> change = submit(other, SUMMARY, "/staff/patients/p1/problems/c1", valid("version", "1"));
        assertThat(change.statusCode()).isEqualTo(403);
        assertThat(http.get("/fhir/Condition/c1").resource(Condition.class).getMeta().getVersionId()).isEqualTo("1");
    }
}
