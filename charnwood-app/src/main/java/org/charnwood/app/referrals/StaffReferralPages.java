package org.charnwood.app.referrals;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The staff referral page: choose a service, answer its pathway's questions, and see every problem beside its
 * field and, when the patient does not fit, the service that does. The referral goes through the same intake as
 * the FHIR API, under the access policy of the person signed in.
 */
@Controller
@StaffPages
class StaffReferralPages {

    private final Pathways pathways;
    private final ReferralIntake intake;
    private final FhirRepository repository;
    private final AccessPolicy policy;
    private final RequesterSource requesters;
    private final Clock clock;

    StaffReferralPages(Pathways pathways, ReferralIntake intake, FhirRepository repository, AccessPolicy policy,
                       RequesterSource requesters, Clock clock) {
        this.pathways = pathways;
        this.intake = intake;
        this.repository = repository;
        this.policy = policy;
        this.requesters = requesters;
        this.clock = clock;
    }

    /** Who the patient is, as the banner line of these pages shows them. */
    record PatientLine(String id, String name, String born, String nhsNumber) {
    }

    @GetMapping("/staff/patients/{patientId}/referrals/new")
    String form(@PathVariable String patientId, @RequestParam(name = "service", required = false) String service,
                HttpServletRequest request, Model model) {
        PatientLine patient = patient(patientId, request);
        model.addAttribute("patient", patient);
        model.addAttribute("errors", new FormErrors());
        if (service == null || service.isBlank()) {
            model.addAttribute("pathways", pathways.current());
            return "referrals/staff-choose";
        }
        Pathway pathway = pathway(service);
        show(model, pathway, Map.of(), new FormErrors(), List.of());
        return "referrals/staff-referral";
    }

    @PostMapping("/staff/patients/{patientId}/referrals")
    String refer(@PathVariable String patientId, @RequestParam("service") String service, HttpServletRequest request,
                 Model model, RedirectAttributes redirect) {
        PatientLine patient = patient(patientId, request);
        Pathway pathway = pathway(service);
        Map<String, String> typed = QuestionnaireForm.typed(request.getParameterMap());
        FormErrors errors = new FormErrors();
        String priority = typed.getOrDefault("priority", "");
        if (!pathway.priorities().contains(priority)) {
            errors.add("priority", "Select how urgent the referral is");
        }
        String source = typed.getOrDefault("source", "");
        if (!ReferralSources.ALL.containsKey(source)) {
            errors.add("source", "Select where the referral comes from");
        }
        var answers = QuestionnaireForm.read(pathway.questionnaire(), typed, errors, LocalDate.now(clock));
        model.addAttribute("patient", patient);
        if (!errors.isEmpty()) {
            show(model, pathway, typed, errors, List.of());
            return "referrals/staff-referral";
        }
        Requester requester = requesters.current(request);
        ServiceRequest referral = new ServiceRequest();
        referral.setSubject(new Reference("Patient/" + patientId));
        referral.addPerformer(new Reference(pathway.service()));
        referral.addInstantiatesCanonical(pathway.canonical());
        referral.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(priority));
        referral.addExtension(new Extension(ReferralCodes.REFERRAL_SOURCE, new org.hl7.fhir.r4.model.Coding(
                ReferralCodes.REFERRAL_SOURCE_SYSTEM, source, ReferralSources.display(source))));
        try {
            ReferralIntake.Received received = intake.receive(new ReferralIntake.Submission(referral, answers,
                    ReferralIntake.Channel.STAFF_PAGE, requester));
            redirect.addFlashAttribute("reference", received.reference());
            redirect.addFlashAttribute("serviceName", pathway.title());
            return "redirect:/staff/patients/" + patientId + "/referrals/made";
        } catch (FhirException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "You may not make referrals for this patient", e);
            }
            if (e.status() != 409 && e.status() != 422) {
                throw e;
            }
            List<RefusalMessages.Advice> advice = RefusalMessages.apply(e, errors, expression -> "service-fit");
            show(model, pathway, typed, errors, advice);
            return "referrals/staff-referral";
        }
    }

    @GetMapping("/staff/patients/{patientId}/referrals/made")
    String made(@PathVariable String patientId, HttpServletRequest request, Model model) {
        if (!model.containsAttribute("reference")) {
            return "redirect:/staff/patients/" + patientId;
        }
        model.addAttribute("patient", patient(patientId, request));
        return "referrals/staff-referral-made";
    }

    private void show(Model model, Pathway pathway, Map<String, String> typed, FormErrors errors,
                      List<RefusalMessages.Advice> advice) {
        model.addAttribute("pathway", pathway);
        model.addAttribute("fields", QuestionnaireForm.fields(pathway.questionnaire(), typed));
        model.addAttribute("priority", typed.getOrDefault("priority", ""));
        model.addAttribute("source", typed.getOrDefault("source", ""));
        model.addAttribute("sources", ReferralSources.ALL);
        model.addAttribute("errors", errors);
        model.addAttribute("advice", advice);
    }

    private Pathway pathway(String slug) {
        return pathways.current().stream().filter(p -> p.serviceSlug().equals(slug)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such service"));
    }

    /** The patient, read under the access policy of the person signed in, as the FHIR API would. */
    private PatientLine patient(String patientId, HttpServletRequest request) {
        try {
            var scope = policy.readForRequest(requesters.current(request), FhirAction.READ, "Patient");
            Patient p = repository.read("Patient", patientId, scope).parse(Patient.class);
            String nhs = p.getIdentifier().stream().filter(i -> org.charnwood.fhir.identity.NhsNumber.SYSTEM
                    .equals(i.getSystem())).map(i -> i.getValue()).findFirst().orElse(null);
            String name = p.hasName() ? p.getNameFirstRep().getNameAsSingleString() : "Unnamed patient";
            return new PatientLine(patientId, name, p.hasBirthDateElement() ? p.getBirthDateElement().getValueAsString()
                    : null, nhs);
        } catch (FhirException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new ResponseStatusException(HttpStatus.FORBIDDEN, "You may not see this patient", e);
            }
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such patient", e);
        }
    }
}
