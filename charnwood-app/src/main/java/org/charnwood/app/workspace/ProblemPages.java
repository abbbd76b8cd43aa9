package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Condition;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.time.Clock;
import java.util.Date;

/**
 * Adding and changing a patient's problems (UK Core Condition, category problem-list-item). Each save is checked
 * on the server (the problem against its constraint, the dates, the statuses), allowed by the access policy,
 * written in one transaction, then the browser is sent back to the record summary (post, redirect, get).
 */
@Controller
@StaffPages
class ProblemPages {

    private static final RecordEntryKind<Condition> PROBLEM = RecordEntryKind.PROBLEM;

    private final PatientBanners banners;
    private final ClinicalRecord record;
    private final ConstrainedConcepts concepts;
    private final RecordWrites writes;
    private final RecordEntrySaves saves;
    private final Clock clock;

    ProblemPages(PatientBanners banners, ClinicalRecord record, ConstrainedConcepts concepts, RecordWrites writes,
                 RecordEntrySaves saves, Clock clock) {
        this.banners = banners;
        this.record = record;
        this.concepts = concepts;
        this.writes = writes;
        this.saves = saves;
        this.clock = clock;
    }

    @GetMapping("/staff/patients/{patientId}/problems/new")
    String addForm(@PathVariable String patientId, HttpServletRequest request, Model model) {
        PatientRecordPages.banner(banners, patientId);
        writes.allowed(request, FhirAction.CREATE, PROBLEM.sample(patientId, null));
        return page(patientId, null, ProblemForm.blank(), new FormErrors(), model);
    }

    @GetMapping("/staff/patients/{patientId}/problems/{conditionId}")
    String changeForm(@PathVariable String patientId, @PathVariable String conditionId, HttpServletRequest request,
                      Model model) {
        PatientRecordPages.banner(banners, patientId);
        writes.allowed(request, FhirAction.UPDATE, PROBLEM.sample(patientId, conditionId));
        StoredResource stored = PROBLEM.stored(record, patientId, conditionId);
        return page(patientId, conditionId, ProblemForm.of(stored.parse(Condition.class),
                RecordWrites.version(stored)), new FormErrors(), model);
    }

    @PostMapping("/staff/patients/{patientId}/problems")
    String add(@PathVariable String patientId, @ModelAttribute("form") ProblemForm form, HttpServletRequest request,
               Model model) {
        PatientRecordPages.banner(banners, patientId);
        Requester requester = writes.allowed(request, FhirAction.CREATE, PROBLEM.sample(patientId, null));
        return saves.add(PROBLEM, patientId, "problemTerm",
                errors -> form.validate(concepts, Text.today(clock), errors),
                () -> {
                    Condition condition = PROBLEM.newFor(patientId);
                    condition.setRecordedDate(Date.from(clock.instant()));
                    condition.setRecorder(RecordEntryKind.recorder(requester));
                    return condition;
                }, ProblemForm::applyTo, RecordEntrySaves.Alongside.nothing(), request,
                errors -> page(patientId, null, form, errors, model));
    }

    @PostMapping("/staff/patients/{patientId}/problems/{conditionId}")
    String change(@PathVariable String patientId, @PathVariable String conditionId,
                  @ModelAttribute("form") ProblemForm form, HttpServletRequest request, Model model) {
        writes.allowed(request, FhirAction.UPDATE, PROBLEM.sample(patientId, conditionId));
        PROBLEM.stored(record, patientId, conditionId);
        return saves.change(PROBLEM, patientId, conditionId, form, "problemTerm",
                errors -> form.validate(concepts, Text.today(clock), errors),
                ProblemForm::applyTo, RecordEntrySaves.Alongside.nothing(), ProblemForm::of, request, model,
                errors -> page(patientId, conditionId, form, errors, model));
    }

    private String page(String patientId, String conditionId, ProblemForm form, FormErrors errors, Model model) {
        model.addAttribute("banner", PatientRecordPages.banner(banners, patientId));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("conditionId", conditionId);
        model.addAttribute("problemField", CodedField.PROBLEM);
        model.addAttribute("problemEcl", concepts.constraint(CodedField.PROBLEM));
        model.addAttribute("clinicalStatuses", ProblemForm.CLINICAL_STATUSES);
        model.addAttribute("verificationStatuses", ProblemForm.VERIFICATION_STATUSES);
        return "workspace/problem-form";
    }
}
