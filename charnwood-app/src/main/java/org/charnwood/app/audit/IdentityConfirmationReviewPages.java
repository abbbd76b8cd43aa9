package org.charnwood.app.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.IdentityConfirmationReview;
import org.charnwood.app.security.IdentityConfirmationReviews;
import org.charnwood.app.security.Requester;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.PatientDisplay;
import org.charnwood.app.web.StaffPages;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Instant;
import java.util.List;

/**
 * The information governance officer's review of identity confirmations, beside emergency access: a triager linked
 * a self-referral to an existing patient's record, which gives the service's staff a relationship with it on the
 * triager's judgement. One confirmation is shown with what of the details matched, and marked reviewed with a note
 * as an emergency access is. The list itself is part of the emergency access page ({@link
 * EmergencyAccessReviewPages}), which takes its rows from here.
 */
@Controller
@StaffPages
class IdentityConfirmationReviewPages {

    private static final String REVIEWERS_ONLY =
            "Identity confirmations are reviewed by information governance officers";

    private final IdentityConfirmationReviews confirmations;
    private final GovernanceReviewing reviewing;

    IdentityConfirmationReviewPages(IdentityConfirmationReviews confirmations, GovernanceReviewing reviewing) {
        this.confirmations = confirmations;
        this.reviewing = reviewing;
    }

    /** One identity confirmation as the pages show it. */
    record Row(String id, String patientName, String nhsNumber, String referral, String confirmedBy,
               String confirmed, String how, String matched, String reviewedBy, String reviewedAt,
               String reviewNote) {
    }

    /** The confirmations still to review, or those reviewed, as rows; their patients named in the page's record. */
    List<Row> rows(boolean reviewed, int limit) {
        List<IdentityConfirmationReview> found = confirmations.list(reviewed, limit);
        reviewing.shown(found.stream().map(IdentityConfirmationReview::patientId).toList());
        return found.stream().map(this::row).toList();
    }

    @GetMapping("/staff/emergency-access/identity-confirmations/{id}")
    String confirmation(@PathVariable String id, HttpServletRequest request, Model model) {
        concerning(id, request);
        reviewing.requireReviewer(request, REVIEWERS_ONLY);
        show(found(id), model, new FormErrors(), "");
        return "security/identity-confirmation";
    }

    @PostMapping("/staff/emergency-access/identity-confirmations/{id}")
    String review(@PathVariable String id, @RequestParam(defaultValue = "") String note, HttpServletRequest request,
                  Model model, RedirectAttributes redirect) {
        concerning(id, request);
        Requester reviewer = reviewing.requireReviewer(request, REVIEWERS_ONLY);
        IdentityConfirmationReview confirmation = found(id);
        FormErrors errors = new FormErrors();
        GovernanceReviewing.Outcome outcome = GovernanceReviewing.review(note,
                "Enter a review note: whether linking the referral to this record was appropriate, and why",
                "identity confirmation", errors, text -> confirmations.review(id, reviewer, text));
        if (outcome == GovernanceReviewing.Outcome.RECORDED) {
            redirect.addFlashAttribute("notice", "Review of the identity confirmation recorded for "
                    + reviewing.patientName(confirmation.patientId()) + ".");
            return "redirect:/staff/emergency-access";
        }
        if (outcome == GovernanceReviewing.Outcome.REVIEWED_MEANWHILE) {
            confirmation = found(id);
        }
        show(confirmation, model, errors, note);
        return "security/identity-confirmation";
    }

    private void show(IdentityConfirmationReview confirmation, Model model, FormErrors errors, String note) {
        model.addAttribute("confirmation", row(confirmation));
        model.addAttribute("errors", errors);
        model.addAttribute("note", note);
        reviewing.shown(List.of(confirmation.patientId()));
    }

    /** A refused look or review concerns the patient whose record the referral was linked to. */
    private void concerning(String id, HttpServletRequest request) {
        GovernanceReviewing.concerning(request,
                () -> confirmations.find(id).map(IdentityConfirmationReview::patientId));
    }

    private IdentityConfirmationReview found(String id) {
        return confirmations.find(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such identity confirmation"));
    }

    private Row row(IdentityConfirmationReview c) {
        TrailNames people = reviewing.people();
        Patient patient = people.patient(c.patientId()).orElse(null);
        return new Row(c.id(), patient == null ? "Patient " + c.patientId() : PatientDisplay.name(patient),
                patient == null ? null : PatientDisplay.nhsNumber(patient),
                c.referralReference() != null ? c.referralReference() : "ServiceRequest/" + c.referralId(),
                people.personName(c.confirmedBy()).orElse(c.confirmedBy()), when(c.confirmedAt()), c.howLabel(),
                c.matched(), c.reviewedBy(), c.reviewedAt() == null ? null : when(c.reviewedAt()), c.reviewNote());
    }

    private static String when(Instant instant) {
        return GovernanceReviewing.when(instant);
    }
}
