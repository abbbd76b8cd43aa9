package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.observations.EscalationResponses;
import org.charnwood.app.security.RequestAimedAt;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.Task;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Answering an escalation from a board: accept it, or decline it with a reason (a page of its own, so it works
 * without JavaScript and a missing reason is shown with the error pattern).
 */
@Controller
@StaffPages
class EscalationPages {

    private final EscalationResponses responses;
    private final RequesterSource requesters;
    private final ClinicalRecord record;

    EscalationPages(EscalationResponses responses, RequesterSource requesters, ClinicalRecord record) {
        this.responses = responses;
        this.requesters = requesters;
        this.record = record;
    }

    @PostMapping("/staff/escalations/{taskId}/accept")
    String accept(@PathVariable String taskId, @RequestParam(required = false) String returnTo,
                  HttpServletRequest request, RedirectAttributes redirect) {
        concerning(taskId, request);
        try {
            responses.accept(taskId, requesters.current(request));
            redirect.addFlashAttribute("notice", "Escalation accepted.");
        } catch (IllegalStateException e) {
            redirect.addFlashAttribute("notice", e.getMessage() + ".");
        } catch (FhirException e) {
            throw refusal(e);
        }
        return "redirect:" + safe(returnTo);
    }

    @GetMapping("/staff/escalations/{taskId}/decline")
    String declineForm(@PathVariable String taskId, @RequestParam(required = false) String returnTo,
                       HttpServletRequest request, Model model) {
        concerning(taskId, request);
        requireResponder(taskId, request);
        model.addAttribute("escalation", escalation(taskId));
        model.addAttribute("returnTo", safe(returnTo));
        model.addAttribute("errors", new FormErrors());
        return "workspace/decline";
    }

    @PostMapping("/staff/escalations/{taskId}/decline")
    String decline(@PathVariable String taskId, @RequestParam(required = false) String reason,
                   @RequestParam(required = false) String returnTo, HttpServletRequest request, Model model,
                   RedirectAttributes redirect) {
        // Someone the escalation is not addressed to is refused before the reason is looked at.
        concerning(taskId, request);
        requireResponder(taskId, request);
        FormErrors errors = new FormErrors();
        if (reason == null || reason.isBlank()) {
            errors.add("reason", "Enter why you are declining this escalation");
        } else if (reason.length() > 1000) {
            errors.add("reason", "Reason must be 1000 characters or fewer");
        }
        if (errors.isEmpty()) {
            try {
                responses.decline(taskId, requesters.current(request), reason.trim());
                redirect.addFlashAttribute("notice", "Escalation declined.");
                return "redirect:" + safe(returnTo);
            } catch (IllegalStateException e) {
                // Answered by someone else since the page was opened: nothing the person typed was wrong.
                errors.conflict("reason", e.getMessage());
            } catch (FhirException e) {
                throw refusal(e);
            }
        }
        model.addAttribute("escalation", escalation(taskId));
        model.addAttribute("returnTo", safe(returnTo));
        model.addAttribute("reason", reason);
        model.addAttribute("errors", errors);
        return "workspace/decline";
    }

    private OpenEscalation escalation(String taskId) {
        try {
            return record.read("Task", taskId, Task.class).map(Boards::escalation)
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such escalation"));
        } catch (FhirException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such escalation");
        }
    }

    /**
     * Only those the escalation is addressed to may answer it, as over the FHIR API: its owner or a member of its
     * team, with a role that permits answering escalations (not a support worker, nor a nurse of another team).
     */
    private void requireResponder(String taskId, HttpServletRequest request) {
        try {
            responses.requireResponder(taskId, requesters.current(request));
        } catch (FhirException e) {
            throw refusal(e);
        }
    }

    /**
     * An answer refused (or failing) is an attempt at the patient's escalation: its audit record names them, so it
     * is in their access history. Looked up only then.
     */
    private void concerning(String taskId, HttpServletRequest request) {
        RequestAimedAt.concerning(request, () -> responses.patientOf(taskId).stream().toList());
    }

    private static RuntimeException refusal(FhirException e) {
        return switch (e.status()) {
            case 403 -> new ResponseStatusException(HttpStatus.FORBIDDEN, "You may not answer this escalation", e);
            case 404, 410 -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such escalation", e);
            default -> e;
        };
    }

    /** Only back to a staff page of this application, never to another site. */
    private static String safe(String returnTo) {
        return returnTo != null && returnTo.matches("/staff/[A-Za-z0-9/_.-]*") ? returnTo : "/staff/wards";
    }
}
