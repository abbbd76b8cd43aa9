package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.CarePlan;
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

    /** One of the patient's problems, to tick as addressed by the plan. */
    record ProblemOption(String id, String label) {
    }

    private final PatientBanners banners;
    private final ClinicalRecord record;
    private final ConstrainedConcepts concepts;
    private final RecordWrites writes;
    private final Clock clock;

    CarePlanPages(PatientBanners banners, ClinicalRecord record, ConstrainedConcepts concepts, RecordWrites writes,
                  Clock clock) {
        this.banners = banners;
        this.record = record;
        this.concepts = concepts;
        this.writes = writes;
        this.clock = clock;
    }

    @GetMapping("/staff/patients/{patientId}/care-plans/new")
    String addForm(@PathVariable String patientId, Model model) {
        return page(patientId, null, CarePlanForm.blank(), new FormErrors(), model);
    }

    @GetMapping("/staff/patients/{patientId}/care-plans/{planId}")
    String changeForm(@PathVariable String patientId, @PathVariable String planId, Model model) {
        StoredResource stored = stored(patientId, planId);
        return page(patientId, planId, CarePlanForm.of(stored.parse(CarePlan.class), RecordWrites.version(stored)),
                new FormErrors(), model);
    }

    @PostMapping("/staff/patients/{patientId}/care-plans")
    String add(@PathVariable String patientId, @ModelAttribute("form") CarePlanForm form, HttpServletRequest request,
               Model model) {
        PatientRecordPages.banner(banners, patientId);
        String patient = "Patient/" + patientId;
        Requester requester = writes.allowed(request, FhirAction.CREATE, sample(patient, null));
        FormErrors errors = new FormErrors();
        CarePlanForm.Entry entry = form.validate(concepts, today(), conditionIds(patientId), errors);
        if (entry == null) {
            return page(patientId, null, form, errors, model);
        }
        try {
            writes.save(session -> {
                CarePlan plan = new CarePlan();
                plan.setSubject(new Reference(patient));
                plan.setCreated(Date.from(clock.instant()));
                if (requester.fhirUser() != null && requester.fhirUser().startsWith("Practitioner/")) {
                    plan.setAuthor(new Reference(requester.fhirUser()));
                }
                CarePlanForm.applyTo(plan, entry);
                writes.allowed(request, FhirAction.CREATE, plan);
                return session.create(plan);
            });
        } catch (RecordWrites.Refused e) {
            errors.add("title", e.getMessage());
            return page(patientId, null, form, errors, model);
        }
        return "redirect:/staff/patients/" + patientId + "#care-plans";
    }

    @PostMapping("/staff/patients/{patientId}/care-plans/{planId}")
    String change(@PathVariable String patientId, @PathVariable String planId,
                  @ModelAttribute("form") CarePlanForm form, HttpServletRequest request, Model model) {
        String patient = "Patient/" + patientId;
        writes.allowed(request, FhirAction.UPDATE, sample(patient, planId));
        stored(patientId, planId);
        FormErrors errors = new FormErrors();
        CarePlanForm.Entry entry = form.validate(concepts, today(), conditionIds(patientId), errors);
        if (entry == null) {
            return page(patientId, planId, form, errors, model);
        }
        try {
            writes.save(session -> {
                CarePlan plan = RecordWrites.current(session, "CarePlan", planId, form.getVersion(), patient,
                        CarePlan.class, p -> p.getSubject().getReference());
                CarePlanForm.applyTo(plan, entry);
                writes.allowed(request, FhirAction.UPDATE, plan);
                return session.update("CarePlan", planId, plan, Integer.valueOf(form.getVersion().trim()));
            });
        } catch (RecordWrites.ChangedMeanwhile e) {
            errors.add("conflict", "Someone else changed this care plan after you opened it, so your changes have "
                    + "not been saved. Check the care plan as it is now and make your changes again.");
            StoredResource now = stored(patientId, planId);
            return page(patientId, planId, CarePlanForm.of(now.parse(CarePlan.class), RecordWrites.version(now)),
                    errors, model);
        } catch (RecordWrites.Refused e) {
            errors.add("title", e.getMessage());
            return page(patientId, planId, form, errors, model);
        }
        return "redirect:/staff/patients/" + patientId + "#care-plans";
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

    private static CarePlan sample(String patient, String id) {
        CarePlan sample = new CarePlan();
        sample.setSubject(new Reference(patient));
        if (id != null) {
            sample.setId(id);
        }
        return sample;
    }

    private StoredResource stored(String patientId, String planId) {
        return record.stored("CarePlan", planId)
                .filter(s -> ("Patient/" + patientId).equals(s.parse(CarePlan.class).getSubject().getReference()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such care plan"));
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

    private LocalDate today() {
        return clock.instant().atZone(Text.UK).toLocalDate();
    }
}
