package org.charnwood.app.workspace;

import org.hl7.fhir.r4.model.CarePlan;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Care plans over HTTP as a signed-in nurse: a plan addressing the patient's problem with goals, each kind of
 * mistake (a kind of plan outside the care plan constraint included), changes keeping what they do not touch, a
 * nurse without a relationship and two people changing the same plan.
 */
class CarePlanPagesIntegrationTests extends RecordEntryPagesTest {

    private static final String NEW = "/staff/patients/p1/care-plans/new";
    private static final String POST = "/staff/patients/p1/care-plans";

    private HttpResponse<String> add(Map<String, String> fields) {
        return submit(nurse, NEW, POST, fields);
    }

    private static Map<String, String> valid(String... more) {
        Map<String, String> f = fields("title", "Breathing and mobility", "categoryTerm", "Mental health care plan",
                "categoryCode", "", "status", "active", "startDay", "20", "startMonth", "11", "startYear", "2026",
                "endDay", "20", "endMonth", "2", "endYear", "2027", "addresses", "c1",
                "activities", "Walk to the day room twice a day\n\nInhaler technique checked daily\n");
        for (int i = 0; i < more.length; i += 2) {
            f.put(more[i], more[i + 1]);
        }
        return f;
    }

    private CarePlan plan() {
        var entries = http.get("/fhir/CarePlan?subject=Patient/p1").bundle().getEntry();
        assertThat(entries).hasSize(1);
        return (CarePlan) entries.get(0).getResource();
    }

    private int plans() {
        return count("CarePlan?subject=Patient/p1");
    }

    @Test
    void aCarePlanAddressingTheProblemWithItsGoalsIsSavedAndShownOnTheSummary() {
        redirectedToSummary(add(valid()), "care-plans");
        CarePlan plan = plan();
        assertThat(plan.getIntent()).isEqualTo(CarePlan.CarePlanIntent.PLAN);
        assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
        assertThat(plan.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("718347000");
        assertThat(plan.getAddressesFirstRep().getReference()).isEqualTo("Condition/c1");
        assertThat(plan.getActivity()).extracting(a -> a.getDetail().getDescription())
                .containsExactly("Walk to the day room twice a day", "Inhaler technique checked daily");
        assertThat(plan.getPeriod().getEndElement().getValueAsString()).isEqualTo("2027-02-20");
        assertThat(page(nurse, "/staff/patients/p1")).contains("Breathing and mobility", "id=\"add-care-plans\"");
    }

    @Test
    void mistakesAreEachExplainedAndNothingIsSaved() {
        assertThat(add(valid("title", " ")).body()).contains("Enter a title for the care plan");
        assertThat(add(valid("categoryCode", "10109999999103", "categoryTerm", "")).body())
                .contains("is not a kind of care plan");
        assertThat(add(valid("categoryTerm", "")).body()).contains("Enter the type of care plan");
        assertThat(add(valid("status", "finished")).body()).contains("Select the status of the care plan");
        assertThat(add(valid("startDay", "", "startMonth", "", "startYear", "")).body())
                .contains("Enter the date the care plan starts");
        assertThat(add(valid("endYear", "2025")).body()).contains("The end date must be on or after the start date");
        assertThat(add(valid("addresses", "someone-elses")).body()).contains("Choose problems from this patient");
        assertThat(add(valid("activities", "x".repeat(501))).body()).contains("500 characters or fewer");
        assertThat(plans()).isZero();
    }

    @Test
    void aChangeKeepsWhatItDoesNotTouchAndASecondStaleChangeIsRefused() {
        redirectedToSummary(add(valid()), "care-plans");
        CarePlan plan = plan();
        String id = plan.getIdElement().getIdPart();
        plan.getActivityFirstRep().getDetail().setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS);
        plan.setId(id);
        assertThat(http.putJson("/fhir/CarePlan/" + id, plan).status()).isEqualTo(200);

        String edit = "/staff/patients/p1/care-plans/" + id;
        assertThat(page(nurse, edit)).contains("value=\"Breathing and mobility\"", "name=\"version\" value=\"2\"");
        redirectedToSummary(submit(nurse, edit, edit, valid("version", "2", "status", "completed",
                "activities", "Walk to the day room twice a day\nHome oxygen assessment")), "care-plans");
        CarePlan changed = plan();
        assertThat(changed.getStatus()).isEqualTo(CarePlan.CarePlanStatus.COMPLETED);
        assertThat(changed.getActivity()).extracting(a -> a.getDetail().getDescription())
                .containsExactly("Walk to the day room twice a day", "Home oxygen assessment");
        assertThat(changed.getActivityFirstRep().getDetail().getStatus())
                .isEqualTo(CarePlan.CarePlanActivityStatus.INPROGRESS);

        HttpResponse<String> stale = submit(nurse, edit, edit, valid("version", "2", "title", "Overwritten"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("id=\"conflict\"", "Someone else changed this care plan");
        assertThat(plan().getTitle()).isEqualTo("Breathing and mobility");
    }

    @Test
    void aNurseWithoutARelationshipIsRefusedAndNothingIsSaved() {
        HttpClient other = signedIn(OTHER_NURSE);
        // The form is not offered (the refusal says why); a post from a page opened earlier is refused too.
        HttpResponse<String> form = get(other, NEW);
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(form.body()).contains("You do not have a care relationship with this patient");
        assertThat(submit(other, SUMMARY, POST, valid()).statusCode()).isEqualTo(403);
        assertThat(plans()).isZero();
    }
}
