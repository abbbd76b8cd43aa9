package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Date;

/**
 * Adding and changing a patient's problems (UK Core Condition, category problem-list-item). Each save is checked
 * on the server (the problem against its constraint, the dates, the statuses), allowed by the access policy,
 * written in one transaction, then the browser is sent back to the record summary (post, redirect, get).
 */
@Controller
@StaffPages
class ProblemPages {

    private final PatientBanners banners;
    private final ClinicalRecord record;
    private final ConstrainedConcepts concepts;
    private final RecordWrites writes;
    private final Clock clock;

    ProblemPages(PatientBanners banners, ClinicalRecord record, ConstrainedConcepts concepts, RecordWrites writes,
                 Clock clock) {
        this.banners = banners;
        this.record = record;
        this.concepts = concepts;
        this.writes = writes;
        this.clock = clock;
    }

    @GetMapping("/staff/patients/{patientId}/problems/new")
    String addForm(@PathVariable String patientId, Model model) {
        return page(patientId, null, ProblemForm.blank(), new FormErrors(), model);
    }

    @GetMapping("/staff/patients/{patientId}/problems/{conditionId}")
    String changeForm(@PathVariable String patientId, @PathVariable String conditionId, Model model) {
        StoredResource stored = stored(patientId, conditionId);
        return page(patientId, conditionId, ProblemForm.of(stored.parse(Condition.class),
                RecordWrites.version(stored)), new FormErrors(), model);
    }

    @PostMapping("/staff/patients/{patientId}/problems")
    String add(@PathVariable String patientId, @ModelAttribute("form") ProblemForm form, HttpServletRequest request,
               Model model) {
        PatientRecordPages.banner(banners, patientId);
        String patient = "Patient/" + patientId;
        Condition sample = new Condition().setSubject(new Reference(patient));
        Requester requester = writes.allowed(request, FhirAction.CREATE, sample);
        FormErrors errors = new FormErrors();
        ProblemForm.Entry entry = form.validate(concepts, today(), errors);
        if (entry == null) {
            return page(patientId, null, form, errors, model);
        }
        try {
            writes.save(session -> {
                Condition condition = new Condition();
                condition.setSubject(new Reference(patient));
                condition.setRecordedDate(Date.from(clock.instant()));
                if (requester.fhirUser() != null && requester.fhirUser().startsWith("Practitioner/")) {
                    condition.setRecorder(new Reference(requester.fhirUser()));
                }
                ProblemForm.applyTo(condition, entry);
                writes.allowed(request, FhirAction.CREATE, condition);
                return session.create(condition);
            });
        } catch (RecordWrites.Refused e) {
            errors.add("problemTerm", e.getMessage());
            return page(patientId, null, form, errors, model);
        }
        return "redirect:/staff/patients/" + patientId + "#problems";
    }

    @PostMapping("/staff/patients/{patientId}/problems/{conditionId}")
    String change(@PathVariable String patientId, @PathVariable String conditionId,
                  @ModelAttribute("form") ProblemForm form, HttpServletRequest request, Model model) {
        String patient = "Patient/" + patientId;
        Condition sample = new Condition().setSubject(new Reference(patient));
        sample.setId(conditionId);
        writes.allowed(request, FhirAction.UPDATE, sample);
        stored(patientId, conditionId);
        FormErrors errors = new FormErrors();
        ProblemForm.Entry entry = form.validate(concepts, today(), errors);
        if (entry == null) {
            return page(patientId, conditionId, form, errors, model);
        }
        try {
            writes.save(session -> {
                Condition condition = RecordWrites.current(session, "Condition", conditionId, form.getVersion(),
                        patient, Condition.class, c -> c.getSubject().getReference());
                ProblemForm.applyTo(condition, entry);
                writes.allowed(request, FhirAction.UPDATE, condition);
                return session.update("Condition", conditionId, condition, Integer.valueOf(form.getVersion().trim()));
            });
        } catch (RecordWrites.ChangedMeanwhile e) {
            errors.add("conflict", "Someone else changed this problem after you opened it, so your changes have "
                    + "not been saved. Check the problem as it is now and make your changes again.");
            StoredResource now = stored(patientId, conditionId);
            return page(patientId, conditionId, ProblemForm.of(now.parse(Condition.class), RecordWrites.version(now)),
                    errors, model);
        } catch (RecordWrites.Refused e) {
            errors.add("problemTerm", e.getMessage());
            return page(patientId, conditionId, form, errors, model);
        }
        return "redirect:/staff/patients/" + patientId + "#problems";
    }

    private StoredResource stored(String patientId, String conditionId) {
        return record.stored("Condition", conditionId)
                .filter(s -> ("Patient/" + patientId).equals(s.parse(Condition.class).getSubject().getReference()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such problem"));
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

    private LocalDate today() {
        return clock.instant().atZone(Text.UK).toLocalDate();
    }
}
