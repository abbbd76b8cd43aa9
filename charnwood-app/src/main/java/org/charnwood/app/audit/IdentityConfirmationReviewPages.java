package org.charnwood.app.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.EmergencyAccessReviews;
import org.charnwood.app.security.IdentityConfirmationReview;
import org.charnwood.app.security.IdentityConfirmationReviews;
import org.charnwood.app.security.PatientDataShown;
import org.charnwood.app.security.RequestAimedAt;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.PatientDisplay;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.context.ApplicationEventPublisher;
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
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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

    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.UK);

    private final IdentityConfirmationReviews confirmations;
    private final RequesterSource requesters;
    private final TrailNames people;
    private final ApplicationEventPublisher events;

    IdentityConfirmationReviewPages(IdentityConfirmationReviews confirmations, RequesterSource requesters,
                                    FhirRepository repository, ApplicationEventPublisher events) {
        this.confirmations = confirmations;
        this.requesters = requesters;
        this.people = new TrailNames(repository);
        this.events = events;
    }

    /** One identity confirmation as the pages show it. */
    record Row(String id, String patientName, String nhsNumber, String referral, String confirmedBy,
               String confirmed, String how, String matched, String reviewedBy, String reviewedAt,
               String reviewNote) {
    }

    /** The confirmations still to review, or those reviewed, as rows; their patients named in the page's record. */
    List<Row> rows(boolean reviewed, int limit) {
        List<IdentityConfirmationReview> found = confirmations.list(reviewed, limit);
        shown(found);
        return found.stream().map(this::row).toList();
    }

    @GetMapping("/staff/emergency-access/identity-confirmations/{id}")
    String confirmation(@PathVariable String id, HttpServletRequest request, Model model) {
        concerning(id, request);
        requireReviewer(request);
        show(found(id), model, new FormErrors(), "");
        return "security/identity-confirmation";
    }

    @PostMapping("/staff/emergency-access/identity-confirmations/{id}")
    String review(@PathVariable String id, @RequestParam(defaultValue = "") String note, HttpServletRequest request,
                  Model model, RedirectAttributes redirect) {
        concerning(id, request);
        Requester reviewer = requireReviewer(request);
        IdentityConfirmationReview confirmation = found(id);
        FormErrors errors = new FormErrors();
        String text = note.strip();
        if (text.isEmpty()) {
            errors.add("note", "Enter a review note: whether linking the referral to this record was appropriate, "
                    + "and why");
        } else if (text.length() > EmergencyAccessReviews.MAX_TEXT) {
            errors.add("note", "Review note must be " + EmergencyAccessReviews.MAX_TEXT + " characters or fewer");
        }
        if (errors.isEmpty()) {
            try {
                confirmations.review(id, reviewer, text);
                redirect.addFlashAttribute("notice", "Review of the identity confirmation recorded for "
                        + patientName(confirmation.patientId()) + ".");
                return "redirect:/staff/emergency-access";
            } catch (FhirException e) {
                if (e.status() == 400 || e.status() == 403) {
                    // A note that is not plain text (422), or a review of the officer's own doing (403, which no
                    // other note would change): said beside the note.
                    if (e.status() == 403) {
                        errors.forbidden("note", e.getMessage());
                    } else {
                        errors.add("note", e.getMessage());
                    }
                    show(confirmation, model, errors, note);
                    return "security/identity-confirmation";
                }
                if (e.status() != 409) {
                    throw e;
                }
                errors.conflict("note", "Someone else reviewed this identity confirmation while you were writing your note");
                confirmation = found(id);
            }
        }
        show(confirmation, model, errors, note);
        return "security/identity-confirmation";
    }

    private void show(IdentityConfirmationReview confirmation, Model model, FormErrors errors, String note) {
        model.addAttribute("confirmation", row(confirmation));
        model.addAttribute("errors", errors);
        model.addAttribute("note", note);
        shown(List.of(confirmation));
    }

    /** The confirmations' patients were read from the list, not the repository: the page's audit record names them. */
    private void shown(List<IdentityConfirmationReview> listed) {
        Set<String> patients = new LinkedHashSet<>();
        listed.forEach(c -> patients.add(c.patientId()));
        if (!patients.isEmpty()) {
            events.publishEvent(new PatientDataShown(patients));
        }
    }

    /**
     * A refused look at or review of a confirmation concerns the patient whose record the referral was linked to:
     * the record names them (never told to the caller, who learns nothing of whether the confirmation exists).
     */
    private void concerning(String id, HttpServletRequest request) {
        RequestAimedAt.concerning(request, () -> confirmations.find(id).map(c -> List.of(c.patientId()))
                .orElse(List.of()));
    }

    private IdentityConfirmationReview found(String id) {
        return confirmations.find(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such identity confirmation"));
    }

    private Requester requireReviewer(HttpServletRequest request) {
        Requester requester = requesters.current(request);
        if (!requester.permits(Activity.AUDIT_REVIEW)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "Identity confirmations are reviewed by information governance officers");
        }
        return requester;
    }

    private Row row(IdentityConfirmationReview c) {
        Patient patient = people.patient(c.patientId()).orElse(null);
        return new Row(c.id(), patient == null ? "Patient " + c.patientId() : PatientDisplay.name(patient),
                patient == null ? null : PatientDisplay.nhsNumber(patient),
                c.referralReference() != null ? c.referralReference() : "ServiceRequest/" + c.referralId(),
                people.personName(c.confirmedBy()).orElse(c.confirmedBy()), when(c.confirmedAt()), c.howLabel(),
                c.matched(), c.reviewedBy(), c.reviewedAt() == null ? null : when(c.reviewedAt()), c.reviewNote());
    }

    private String patientName(String patientId) {
        return people.patient(patientId).map(PatientDisplay::name).orElse("patient " + patientId);
    }

    private static String when(Instant instant) {
        return WHEN.format(instant.atZone(UK));
    }
}
