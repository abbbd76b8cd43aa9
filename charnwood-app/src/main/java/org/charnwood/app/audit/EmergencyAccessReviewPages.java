package org.charnwood.app.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.BreakGlassGrant;
import org.charnwood.app.security.EmergencyAccessReviews;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The information governance officer's review of emergency access, as pages: the grants still to review (or those
 * reviewed), and one grant with everything the trail recorded under it and a form to mark it reviewed with a note.
 * The same list holds the identity confirmations at triage that linked a self-referral to an existing record
 * ({@link IdentityConfirmationReviewPages}), labelled as such.
 * For staff whose role includes the review (information governance officers) only. The patient is shown by name and
 * NHS number, which every member of staff may see; the record itself is not opened from here. The grants come from
 * the security module ({@link EmergencyAccessReviews}); what was done under each, from this module's trail.
 */
@Controller
@StaffPages
class EmergencyAccessReviewPages {

    static final int LIST_LIMIT = 200;
    static final int ACTIVITY_LIMIT = 100;
    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.UK);

    private final EmergencyAccessReviews grants;
    private final RecordAccessHistory history;
    private final RequesterSource requesters;
    private final TrailNames people;
    private final ApplicationEventPublisher events;
    private final IdentityConfirmationReviewPages identityConfirmations;

    EmergencyAccessReviewPages(EmergencyAccessReviews grants, RecordAccessHistory history, RequesterSource requesters,
                               FhirRepository repository, ApplicationEventPublisher events,
                               IdentityConfirmationReviewPages identityConfirmations) {
        this.identityConfirmations = identityConfirmations;
        this.grants = grants;
        this.history = history;
        this.requesters = requesters;
        this.people = new TrailNames(repository);
        this.events = events;
    }

    /** One grant as the pages show it. */
    record Row(String id, String patientName, String nhsNumber, String staffName, String reason, String granted,
               String ends, boolean inForce, String reviewedBy, String reviewedAt, String reviewNote) {
    }

    /** One thing done under a grant. */
    record Done(String when, String what, boolean refused, boolean failed) {
    }

    @GetMapping("/staff/emergency-access")
    String list(@RequestParam(defaultValue = "unreviewed") String status, HttpServletRequest request, Model model) {
        requireReviewer(request);
        boolean reviewed = "reviewed".equals(status);
        List<BreakGlassGrant> found = grants.list(reviewed, LIST_LIMIT);
        Map<String, String> names = new HashMap<>();
        model.addAttribute("reviewed", reviewed);
        model.addAttribute("rows", found.stream().map(g -> row(g, names)).toList());
        model.addAttribute("limited", found.size() == LIST_LIMIT);
        // Identity confirmations at triage are on the same list: each linked a referral to an existing record.
        List<IdentityConfirmationReviewPages.Row> confirmations = identityConfirmations.rows(reviewed, LIST_LIMIT);
        model.addAttribute("confirmations", confirmations);
        model.addAttribute("confirmationsLimited", confirmations.size() == LIST_LIMIT);
        shown(found);
        return "security/emergency-access";
    }

    @GetMapping("/staff/emergency-access/{grantId}")
    String grant(@PathVariable String grantId, HttpServletRequest request, Model model) {
        concerning(grantId, request);
        requireReviewer(request);
        BreakGlassGrant grant = found(grantId);
        show(grant, model, new FormErrors(), "");
        return "security/emergency-access-grant";
    }

    @PostMapping("/staff/emergency-access/{grantId}")
    String review(@PathVariable String grantId, @RequestParam(defaultValue = "") String note,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        concerning(grantId, request);
        Requester reviewer = requireReviewer(request);
        BreakGlassGrant grant = found(grantId);
        FormErrors errors = new FormErrors();
        String text = note.strip();
        if (text.isEmpty()) {
            errors.add("note", "Enter a review note: whether the emergency access was appropriate, and why");
        } else if (text.length() > EmergencyAccessReviews.MAX_TEXT) {
            errors.add("note", "Review note must be " + EmergencyAccessReviews.MAX_TEXT + " characters or fewer");
        }
        if (errors.isEmpty()) {
            try {
                grants.review(grantId, reviewer, text);
                redirect.addFlashAttribute("notice", "Review recorded for " + patientName(grant.patientId()) + ".");
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
                    show(grant, model, errors, note);
                    return "security/emergency-access-grant";
                }
                if (e.status() != 409) {
                    throw e;
                }
                errors.conflict("note", "Someone else reviewed this emergency access while you were writing your note");
                grant = found(grantId);
            }
        }
        show(grant, model, errors, note);
        return "security/emergency-access-grant";
    }

    private void show(BreakGlassGrant grant, Model model, FormErrors errors, String note) {
        model.addAttribute("grant", row(grant, new HashMap<>()));
        model.addAttribute("done", history.underGrant(grant.id(), grant.patientId(),
                        grant.fhirUser() != null ? grant.fhirUser() : grant.subject(), ACTIVITY_LIMIT)
                .stream().map(a -> new Done(when(a.when()), a.what(), a.refused(), a.failed())).toList());
        model.addAttribute("errors", errors);
        model.addAttribute("note", note);
        shown(List.of(grant));
    }

    /** The grants' patients were read from the grants, not the repository: the page's audit record names them. */
    private void shown(List<BreakGlassGrant> listed) {
        Set<String> patients = new LinkedHashSet<>();
        listed.forEach(g -> patients.add(g.patientId()));
        if (!patients.isEmpty()) {
            events.publishEvent(new PatientDataShown(patients));
        }
    }

    /**
     * A refused look at or review of a grant concerns its patient: the record names them (never told to the caller,
     * who learns nothing of whether the grant exists).
     */
    private void concerning(String grantId, HttpServletRequest request) {
        RequestAimedAt.concerning(request, () -> grants.find(grantId).map(g -> List.of(g.patientId()))
                .orElse(List.of()));
    }

    private BreakGlassGrant found(String grantId) {
        return grants.find(grantId).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such emergency access"));
    }

    private Requester requireReviewer(HttpServletRequest request) {
        Requester requester = requesters.current(request);
        if (!requester.permits(Activity.AUDIT_REVIEW)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "Emergency access is reviewed by information governance officers");
        }
        return requester;
    }

    private Row row(BreakGlassGrant g, Map<String, String> names) {
        Patient patient = people.patient(g.patientId()).orElse(null);
        return new Row(g.id(), patient == null ? "Patient " + g.patientId() : PatientDisplay.name(patient),
                patient == null ? null : PatientDisplay.nhsNumber(patient),
                names.computeIfAbsent(g.fhirUser() == null ? "" : g.fhirUser(), this::staffName), g.reason(),
                when(g.grantedAt()), when(g.expiresAt()), g.expiresAt().isAfter(Instant.now()),
                g.reviewedBy(), g.reviewedAt() == null ? null : when(g.reviewedAt()), g.reviewNote());
    }

    private String patientName(String patientId) {
        return people.patient(patientId).map(PatientDisplay::name).orElse("patient " + patientId);
    }

    /** A member of staff's name; their reference when there is no readable record. */
    private String staffName(String fhirUser) {
        return fhirUser.isEmpty() ? "Unknown" : people.personName(fhirUser).orElse(fhirUser);
    }

    private static String when(Instant instant) {
        return WHEN.format(instant.atZone(UK));
    }
}
