package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Adding and changing a patient's care plans (CarePlan, intent plan): checked on the server, allowed by the
 * access policy, written in one transaction, then back to the record summary.
 */
@Controller
@StaffPages
class CarePlanPages {

    private static final RecordEntryKind<CarePlan> CARE_PLAN = RecordEntryKind.CARE_PLAN;

    /** One of the patient's problems, to tick as addressed by the plan. */
    record ProblemOption(String id, String label) {
    }

    private final PatientBanners banners;
    private final ClinicalRecord record;
    private final ConstrainedConcepts concepts;
    private final RecordWrites writes;
    private final RecordEntrySaves saves;
    private final Clock clock;

    CarePlanPages(PatientBanners banners, ClinicalRecord record, ConstrainedConcepts concepts, RecordWrites writes,
                  RecordEntrySaves saves, Clock clock) {
        this.banners = banners;
        this.record = record;
        this.concepts = concepts;
        this.writes = writes;
        this.saves = saves;
        this.clock = clock;
    }

    @GetMapping("/staff/patients/{patientId}/care-plans/new")
    String addForm(@PathVariable String patientId, HttpServletRequest request, Model model) {
        PatientRecordPages.banner(banners, patientId);
        writes.allowed(request, FhirAction.CREATE, CARE_PLAN.sample(patientId, null));
        return page(patientId, null, CarePlanForm.blank(), new FormErrors(), model);
    }

    @GetMapping("/staff/patients/{patientId}/care-plans/{planId}")
    String changeForm(@PathVariable String patientId, @PathVariable String planId, HttpServletRequest request,
                      Model model) {
        PatientRecordPages.banner(banners, patientId);
        writes.allowed(request, FhirAction.UPDATE, CARE_PLAN.sample(patientId, planId));
        StoredResource stored = CARE_PLAN.stored(record, patientId, planId);
        return page(patientId, planId, CarePlanForm.of(stored.parse(CarePlan.class), RecordWrites.version(stored)),
                new FormErrors(), model);
    }

    @PostMapping("/staff/patients/{patientId}/care-plans")
    String add(@PathVariable String patientId, @ModelAttribute("form") CarePlanForm form, HttpServletRequest request,
               Model model) {
        PatientRecordPages.banner(banners, patientId);
        Requester requester = writes.allowed(request, FhirAction.CREATE, CARE_PLAN.sample(patientId, null));
        return saves.add(CARE_PLAN, patientId, "title",
                errors -> form.validate(concepts, Text.today(clock), conditionIds(patientId), errors),
                () -> {
                    CarePlan plan = CARE_PLAN.newFor(patientId);
                    plan.setCreated(Date.from(clock.instant()));
                    plan.setAuthor(RecordEntryKind.recorder(requester));
                    return plan;
                }, CarePlanForm::applyTo, RecordEntrySaves.Alongside.nothing(), request,
                errors -> page(patientId, null, form, errors, model));
    }

    @PostMapping("/staff/patients/{patientId}/care-plans/{planId}")
    String change(@PathVariable String patientId, @PathVariable String planId,
                  @ModelAttribute("form") CarePlanForm form, HttpServletRequest request, Model model) {
        writes.allowed(request, FhirAction.UPDATE, CARE_PLAN.sample(patientId, planId));
        CARE_PLAN.stored(record, patientId, planId);
        return saves.change(CARE_PLAN, patientId, planId, form, "title",
                errors -> form.validate(concepts, Text.today(clock), conditionIds(patientId), errors),
                CarePlanForm::applyTo, RecordEntrySaves.Alongside.nothing(), CarePlanForm::of, request, model,
                errors -> page(patientId, planId, form, errors, model));
    }

    private List<ProblemOption> problems(String patientId) {
        return record.search("Condition", Condition.class, "patient", "Patient/" + patientId, "_count", "100")
                .stream().map(c -> new ProblemOption(c.getIdElement().getIdPart(), Text.concept(c.getCode())
                        + (c.hasClinicalStatus() ? " (" + Text.concept(c.getClinicalStatus()) + ")" : "")))
                .toList();
    }

    private Set<String> conditionIds(String patientId) {
        return problems(patientId).stream().map(ProblemOption::id).collect(Collectors.toSet());
    }

    private String page(String patientId, String planId, CarePlanForm form, FormErrors errors, Model model) {
        model.addAttribute("banner", PatientRecordPages.banner(banners, patientId));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("planId", planId);
        model.addAttribute("categoryField", CodedField.CARE_PLAN_CATEGORY);
        model.addAttribute("categoryEcl", concepts.constraint(CodedField.CARE_PLAN_CATEGORY));
        model.addAttribute("statuses", CarePlanForm.STATUSES);
        model.addAttribute("problems", problems(patientId));
        return "workspace/care-plan-form";
    }
}
