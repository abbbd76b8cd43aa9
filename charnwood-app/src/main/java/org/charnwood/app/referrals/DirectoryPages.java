package org.charnwood.app.referrals;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.fhir.FhirException;
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
 * The public pages: the directory of services (no sign-in; searchable by words and postcode; plain HTML forms
 * that work without JavaScript) and self-referral for the services that allow it. The self-referral form is
 * protected by CSRF and rate-limited like the sign-in pages.
 */
@Controller
class DirectoryPages {

    private final ServiceDirectory directory;
    private final Pathways pathways;
    private final SelfReferrals selfReferrals;
    private final RequesterSource requesters;
    private final Clock clock;

    DirectoryPages(ServiceDirectory directory, Pathways pathways, SelfReferrals selfReferrals,
                   RequesterSource requesters, Clock clock) {
        this.directory = directory;
        this.pathways = pathways;
        this.selfReferrals = selfReferrals;
        this.requesters = requesters;
        this.clock = clock;
    }

    @GetMapping("/services")
    String list(@RequestParam(name = "q", required = false) String words,
                @RequestParam(name = "postcode", required = false) String postcode, Model model) {
        String q = words == null ? "" : words.trim();
        String pc = postcode == null ? "" : postcode.trim();
        FormErrors errors = new FormErrors();
        if (!pc.isEmpty() && !pc.toUpperCase(java.util.Locale.ROOT).matches("[A-Z]{1,2}[0-9][0-9A-Z]?( ?[0-9][A-Z]{2})?")) {
            errors.add("postcode", "Enter a postcode, like LE1 6TP, or the first part of one, like LE1");
        }
        List<DirectoryEntry> services = errors.isEmpty() ? directory.search(q, pc) : directory.all();
        model.addAttribute("services", services);
        model.addAttribute("q", q);
        model.addAttribute("postcode", pc);
        model.addAttribute("searched", !q.isEmpty() || !pc.isEmpty());
        model.addAttribute("errors", errors);
        return "referrals/directory";
    }

    @GetMapping("/services/{slug}")
    String service(@PathVariable String slug, Model model) {
        model.addAttribute("service", directory.find(slug).orElseThrow(DirectoryPages::notFound));
        return "referrals/service";
    }

    @GetMapping("/services/{slug}/self-referral")
    String selfReferralForm(@PathVariable String slug, Model model) {
        Pathway pathway = selfReferable(slug);
        show(model, pathway, PersonDetails.empty(), Map.of(), new FormErrors(), List.of());
        return "referrals/self-referral";
    }

    @PostMapping("/self-referral")
    String selfRefer(@RequestParam("service") String slug, HttpServletRequest request, Model model,
                     RedirectAttributes redirect) {
        Pathway pathway = selfReferable(slug);
        Map<String, String> typed = QuestionnaireForm.typed(request.getParameterMap());
        PersonDetails person = PersonDetails.from(typed);
        FormErrors errors = new FormErrors();
        LocalDate today = LocalDate.now(clock);
        person.check(errors, today);
        var answers = QuestionnaireForm.read(pathway.questionnaire(), typed, errors, today);
        if (!errors.isEmpty()) {
            show(model, pathway, person, typed, errors, List.of());
            return "referrals/self-referral";
        }
        try {
            ReferralIntake.Received received = selfReferrals.refer(pathway, person, answers, requesters.current(request));
            redirect.addFlashAttribute("reference", received.reference());
            redirect.addFlashAttribute("serviceName", pathway.title());
            return "redirect:/self-referral/confirmation";
        } catch (FhirException e) {
            if (e.status() != 409 && e.status() != 422) {
                throw e;
            }
            List<RefusalMessages.Advice> advice = RefusalMessages.apply(e, errors, expression -> switch (expression) {
                case "Patient.birthDate" -> "dob";
                case "Patient.address.postalCode" -> "postcode";
                default -> "givenName";
            });
            show(model, pathway, person, typed, errors, advice);
            return "referrals/self-referral";
        }
    }

    @GetMapping("/self-referral/confirmation")
    String confirmation(Model model) {
        if (!model.containsAttribute("reference")) {
            return "redirect:/services";
        }
        return "referrals/self-referral-confirmation";
    }

    private void show(Model model, Pathway pathway, PersonDetails person, Map<String, String> typed, FormErrors errors,
                      List<RefusalMessages.Advice> advice) {
        model.addAttribute("pathway", pathway);
        model.addAttribute("person", person);
        model.addAttribute("fields", QuestionnaireForm.fields(pathway.questionnaire(), typed));
        model.addAttribute("errors", errors);
        model.addAttribute("advice", advice);
    }

    private Pathway selfReferable(String slug) {
        Pathway pathway = pathways.current().stream().filter(p -> p.serviceSlug().equals(slug)).findFirst()
                .orElseThrow(DirectoryPages::notFound);
        if (!pathway.selfReferral()) {
            throw notFound();
        }
        return pathway;
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No such service");
    }
}
