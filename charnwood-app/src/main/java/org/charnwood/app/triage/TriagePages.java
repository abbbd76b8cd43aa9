package org.charnwood.app.triage;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.PageRefusal;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.Patient;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The triage pages: a service's queue and waiting list, one referral with its decisions and the forms to
 * decide it, and the referrer's "My referrals". Every form posts, is checked on the server and redirects
 * afterwards (post, redirect, get), so the pages need no JavaScript and a refresh never decides twice.
 */
@Controller
@StaffPages
class TriagePages {

    private final ServiceQueues queues;
    private final ReferralRecords records;
    private final TriageActions actions;
    private final AccessPolicy policy;
    private final RequesterSource requesters;
    private final Clock clock;
    private final ReferralTimes times;
    private final IdentityConfirmations identities;

    TriagePages(ServiceQueues queues, ReferralRecords records, TriageActions actions, AccessPolicy policy,
                RequesterSource requesters, Clock clock, TriageSettings settings, IdentityConfirmations identities) {
        this.identities = identities;
        this.queues = queues;
        this.records = records;
        this.actions = actions;
        this.policy = policy;
        this.requesters = requesters;
        this.clock = clock;
        this.times = new ReferralTimes(settings.zone());
    }

    /** Where to start: the services the person triages for, and their own referrals. */
    @GetMapping("/staff/services")
    String services(HttpServletRequest request, Model model) {
        Requester requester = requesters.current(request);
        model.addAttribute("services", records.services().stream().filter(s -> {
            try {
                policy.triage(requester, s.getIdElement().getIdPart());
                return true;
            } catch (FhirException e) {
                return false;
            }
        }).toList());
        return "triage/services";
    }

    @GetMapping("/staff/services/{serviceId}/triage")
    String queue(@PathVariable String serviceId, HttpServletRequest request, Model model) {
        model.addAttribute("queue", refusing(() -> queues.queue(requesters.current(request), serviceId)));
        model.addAttribute("times", times);
        return "triage/queue";
    }

    @GetMapping("/staff/services/{serviceId}/waiting-list")
    String waitingList(@PathVariable String serviceId, HttpServletRequest request, Model model) {
        model.addAttribute("list", refusing(() -> queues.waitingList(requesters.current(request), serviceId)));
        model.addAttribute("times", times);
        model.addAttribute("urgent", ReferralClock.URGENT_RESPONSE);
        return "triage/waiting-list";
    }

    @GetMapping("/staff/referrals/mine")
    String mine(HttpServletRequest request, Model model) {
        Requester requester = requesters.current(request);
        AccessScope scope = refusing(() -> policy.readForRequest(requester, FhirAction.SEARCH, "ServiceRequest"));
        List<Referral> referrals = records.requestedBy(requester.fhirUser(), scope, clock.instant()).stream()
                .sorted(Comparator.comparing(Referral::received).reversed()).toList();
        model.addAttribute("referrals", referrals);
        model.addAttribute("questions", records.outstandingFor(requester.fhirUser(), AccessScope.UNRESTRICTED));
        model.addAttribute("times", times);
        return "triage/my-referrals";
    }

    @GetMapping("/staff/referrals/{referralId}")
    String referral(@PathVariable String referralId, HttpServletRequest request, Model model) {
        return show(referralId, requesters.current(request), model, new FormErrors(), null);
    }

    @PostMapping("/staff/referrals/{referralId}/accept")
    String accept(@PathVariable String referralId, @RequestParam(required = false) String team,
                  @RequestParam(required = false) String note, @RequestParam(required = false) String version,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        return act(referralId, request, model, redirect, "accept", null, kept("accept-note", note),
                r -> actions.accept(r, referralId, version(version), team, note), "Referral accepted");
    }

    /** Confirms who sent a self-referral; the triager stays on the referral to decide it next. */
    @PostMapping("/staff/referrals/{referralId}/confirm-identity")
    String confirmIdentity(@PathVariable String referralId, @RequestParam(required = false) String identity,
                           @RequestParam(required = false) String nhsNumber,
                           @RequestParam(required = false) String version, HttpServletRequest request,
                           Model model, RedirectAttributes redirect) {
        IdentityChoice choice = IdentityChoice.ofCode(identity);
        String done = choice == IdentityChoice.NEW_PATIENT
                ? "Identity confirmed: the person is new to the trust, and the referral can now be decided"
                : "Identity confirmed: the referral is now on the person's record, and can now be decided";
        String next = act(referralId, request, model, redirect, "identity", nhsNumber,
                kept("identity-nhs-number", nhsNumber),
                r -> actions.confirmIdentity(r, referralId, version(version), choice, nhsNumber), done);
        return next.startsWith("redirect:") ? "redirect:/staff/referrals/" + referralId : next;
    }

    @PostMapping("/staff/referrals/{referralId}/reject")
    String reject(@PathVariable String referralId, @RequestParam(required = false) String reason,
                  @RequestParam(required = false) String note, @RequestParam(required = false) String version,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        return act(referralId, request, model, redirect, "reject-reason", null, kept("reject-note", note),
                r -> {
                    actions.reject(r, referralId, version(version),
                            reason == null ? null : RejectionReason.ofCode(reason), note);
                    return null;
                }, "Referral rejected");
    }

    @PostMapping("/staff/referrals/{referralId}/redirect")
    String redirect(@PathVariable String referralId, @RequestParam(required = false) String service,
                    @RequestParam(required = false) String note, @RequestParam(required = false) String version,
                    HttpServletRequest request, Model model, RedirectAttributes redirect) {
        return act(referralId, request, model, redirect, "redirect-service", null, kept("redirect-note", note),
                r -> actions.redirect(r, referralId, version(version), service, note),
                "Referral sent on to another service");
    }

    @PostMapping("/staff/referrals/{referralId}/information-request")
    String ask(@PathVariable String referralId, @RequestParam(required = false) String question,
               @RequestParam(required = false) String version, HttpServletRequest request, Model model,
               RedirectAttributes redirect) {
        return act(referralId, request, model, redirect, "question", question, kept("question", question),
                r -> actions.requestInformation(r, referralId, version(version), question),
                "Question sent to the referrer; the referral is on hold until they answer");
    }

    @PostMapping("/staff/referrals/{referralId}/information-requests/{taskId}/answer")
    String answer(@PathVariable String referralId, @PathVariable String taskId,
                  @RequestParam(required = false) String answer, HttpServletRequest request, Model model,
                  RedirectAttributes redirect) {
        Requester requester = requesters.current(request);
        try {
            actions.answer(requester, taskId, answer);
        } catch (FhirException e) {
            if (e.status() == 422) {
                FormErrors errors = new FormErrors().add("answer-" + taskId, e.getMessage());
                return show(referralId, requester, model, errors, answer);
            }
            if (e.is(ErrorCode.INFORMATION_REQUEST_CLOSED)) {
                // Answered or withdrawn by someone else since the page was opened: the answer typed is kept.
                FormErrors errors = new FormErrors().changedMeanwhile("Someone else answered or withdrew this"
                        + " question after you opened the page, so your answer has not been sent.");
                model.addAttribute("entered", PageRefusal.entered(request));
                return show(referralId, requester, model, errors, null);
            }
            throw translate(e);
        }
        redirect.addFlashAttribute("notice", "Answer sent: the referral is back in the service's queue");
        return "redirect:/staff/referrals/mine";
    }

    // --- shared --------------------------------------------------------------------------------------------

    private interface Action {
        Object run(Requester requester);
    }

    private String act(String referralId, HttpServletRequest request, Model model, RedirectAttributes redirect,
                       String field, String typed, Map<String, String> kept, Action action, String done) {
        Requester requester = requesters.current(request);
        String serviceId;
        try {
            serviceId = records.read("ServiceRequest", referralId, org.hl7.fhir.r4.model.ServiceRequest.class,
                    AccessScope.UNRESTRICTED).map(ReferralRecords::serviceOf).orElse(null);
            action.run(requester);
        } catch (FhirException e) {
            if (e.status() == 422 && e.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode() != null
                    && e.outcome().getIssueFirstRep().getDetails().getCodingFirstRep().getCode()
                    .equals(ErrorCode.TRIAGE_DECISION_INVALID.code())) {
                model.addAttribute("kept", kept);
                return show(referralId, requester, model, new FormErrors().add(field, e.getMessage()), typed);
            }
            if (e.status() == 409) {
                // Decided or changed by someone else since the page was opened: nothing is saved, the referral is
                // shown as it is now, and what was typed is kept for the triager to use again.
                FormErrors errors = new FormErrors().changedMeanwhile(e.is(ErrorCode.REFERRAL_NOT_AWAITING_TRIAGE)
                        ? "Someone else decided this referral after you opened it, so your decision has not been"
                        + " saved. The referral as it is now is shown below."
                        : "Someone else changed this referral after you opened it, so your decision has not been"
                        + " saved. Check the referral as it is now, shown below, and decide again: what you entered"
                        + " is kept.");
                model.addAttribute("kept", kept);
                model.addAttribute("entered", PageRefusal.entered(request));
                return show(referralId, requester, model, errors, typed);
            }
            throw translate(e);
        }
        redirect.addFlashAttribute("notice", done);
        return serviceId == null ? "redirect:/staff/referrals/" + referralId
                : "redirect:/staff/services/" + serviceId + "/triage";
    }

    /** The version of the referral a decision form was opened at; one that is missing or garbled matches none. */
    private static Integer version(String version) {
        try {
            return version == null ? -1 : Integer.valueOf(version.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What was typed into a field of the form posted, to put back in it when the form is shown again. */
    private static Map<String, String> kept(String field, String value) {
        return value == null || value.isBlank() ? Map.of() : Map.of(field, value);
    }

    /**
     * The referral page, for the service's triaging staff (with the decision forms while it awaits a decision)
     * and for the referrer (with the answer form for any question put to them); refused to anyone else.
     */
    private String show(String referralId, Requester requester, Model model, FormErrors errors, String typed) {
        Referral bare = records.one(referralId, AccessScope.UNRESTRICTED, clock.instant())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such referral"));
        boolean triager = false;
        AccessScope scope;
        try {
            scope = policy.triage(requester, bare.serviceId()).scope();
            triager = true;
        } catch (FhirException e) {
            if (e.status() != 403 || bare.requester() == null
                    || !records.selves(requester.fhirUser()).contains(bare.requester())) {
                throw translate(e);
            }
            scope = refusing(() -> policy.readForRequest(requester, FhirAction.READ, null));
        }
        Referral referral = records.one(referralId, scope, clock.instant())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such referral"));
        boolean decidable = triager && (referral.stage() == ReferralStage.AWAITING_TRIAGE
                || referral.stage() == ReferralStage.ON_HOLD);
        ServiceRequest stored = records.read("ServiceRequest", referralId, ServiceRequest.class,
                AccessScope.UNRESTRICTED).orElseThrow();
        // The version each decision form carries: a decision is refused if the referral has moved on since.
        model.addAttribute("version", records.version("ServiceRequest", referralId));
        if (!model.containsAttribute("kept")) {
            model.addAttribute("kept", Map.of());
        }
        boolean unverified = IdentityConfirmations.unverified(stored);
        model.addAttribute("unverified", unverified);
        // Staff may find any patient by their demographics: the triager is shown whom the details match.
        model.addAttribute("possibleMatch", decidable && unverified
                ? identities.possibleMatch(stored).map(MatchedRecord::of).orElse(null) : null);
        model.addAttribute("referral", referral);
        model.addAttribute("answers", records.answers(referral, scope));
        model.addAttribute("triager", triager);
        model.addAttribute("decidable", decidable);
        model.addAttribute("referrer", bare.requester() != null
                && records.selves(requester.fhirUser()).contains(bare.requester()));
        model.addAttribute("reasons", RejectionReason.values());
        model.addAttribute("services", decidable ? records.services().stream()
                .filter(s -> !s.getIdElement().getIdPart().equals(referral.serviceId())).toList() : List.of());
        model.addAttribute("teams", decidable ? actions.teams(referral.serviceId()) : List.of());
        model.addAttribute("errors", errors);
        model.addAttribute("typed", typed);
        model.addAttribute("times", times);
        return "triage/referral";
    }

    /** The demographics of the record a self-referral's details matched, as the confirm-identity form shows them. */
    record MatchedRecord(String name, String nhsNumber, String birthDate, String postcode) {
        static MatchedRecord of(Patient p) {
            return new MatchedRecord(ReferralRecords.patientName(p), ReferralRecords.nhsNumber(p),
                    p.hasBirthDateElement() ? p.getBirthDateElement().getValueAsString() : null,
                    p.getAddress().stream().filter(a -> a.hasPostalCode()).map(a -> a.getPostalCode()).findFirst()
                            .orElse(null));
        }
    }

    private static <T> T refusing(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (FhirException e) {
            throw translate(e);
        }
    }

    private static ResponseStatusException translate(FhirException e) {
        HttpStatus status = HttpStatus.resolve(e.status());
        return new ResponseStatusException(status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status,
                e.getMessage(), e);
    }
}
