package org.charnwood.app.workspace;

import org.charnwood.terminology.ecl.Ecl;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Annotation;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The record entry forms' constraints and how entries are written onto the resources they change. */
class RecordEntryFormTests {

    @Test
    void everyCodedFieldsConstraintParsesAsWrittenAndWidenedForAPartialRelease() {
        for (CodedField field : List.of(CodedField.PROBLEM, CodedField.ALLERGEN, CodedField.REACTION,
                CodedField.CARE_PLAN_CATEGORY)) {
            assertThatCode(() -> Ecl.parse(field.ecl())).as(field.name()).doesNotThrowAnyException();
            assertThatCode(() -> Ecl.parse("(" + field.ecl() + ") OR (* MINUS << 138875005)")).as(field.name())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aProblemEnteredInErrorLosesItsClinicalStatusAndKeepsItsNotes() {
        Condition condition = new Condition();
        condition.addNote(new Annotation().setText("Seen by the GP"));
        ProblemForm.applyTo(condition, new ProblemForm.Entry(new ConceptChoice("195967001", "Asthma"), "active",
                "entered-in-error", LocalDate.of(2020, 1, 2), null));
        assertThat(condition.hasClinicalStatus()).isFalse();
        assertThat(condition.getVerificationStatus().getCodingFirstRep().getCode()).isEqualTo("entered-in-error");
        assertThat(condition.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("problem-list-item");
        assertThat(condition.getNoteFirstRep().getText()).isEqualTo("Seen by the GP");

        ProblemForm.applyTo(condition, new ProblemForm.Entry(new ConceptChoice("195967001", "Asthma"), "active",
                "confirmed", null, null));
        assertThat(condition.getCategory()).as("the category is not added twice").hasSize(1);
    }

    @Test
    void aCarePlanActivityKeepsItsStatusWhileItsLineIsUnchanged() {
        CarePlan plan = new CarePlan();
        plan.addActivity().getDetail().setDescription("Walk daily").setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS);
        plan.addActivity().getDetail().setDescription("Stop smoking").setStatus(CarePlan.CarePlanActivityStatus.NOTSTARTED);
        CarePlanForm.applyTo(plan, new CarePlanForm.Entry("Plan", new ConceptChoice("734163000", "Care plan"),
                "active", LocalDate.of(2026, 11, 20), null, List.of("c1"), List.of("Walk daily", "Weigh weekly")));
        assertThat(plan.getActivity()).extracting(a -> a.getDetail().getDescription())
                .containsExactly("Walk daily", "Weigh weekly");
        assertThat(plan.getActivity()).extracting(a -> a.getDetail().getStatus())
                .containsExactly(CarePlan.CarePlanActivityStatus.INPROGRESS, CarePlan.CarePlanActivityStatus.NOTSTARTED);
        assertThat(plan.getIntent()).isEqualTo(CarePlan.CarePlanIntent.PLAN);
        assertThat(plan.getAddressesFirstRep().getReference()).isEqualTo("Condition/c1");
    }
}
