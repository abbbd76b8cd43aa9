package org.charnwood.app.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.BreakGlassGrant;
import org.charnwood.app.security.EmergencyAccessReviews;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private static final String REVIEWERS_ONLY = "Emergency access is reviewed by information governance officers";

    private final EmergencyAccessReviews grants;
    private final RecordAccessHistory history;
    private final GovernanceReviewing reviewing;
    private final IdentityConfirmationReviewPages identityConfirmations;
    /** The clock grants are enforced by, so that what the page calls in force is what the policy honours. */
    private final java.time.Clock clock;

    EmergencyAccessReviewPages(EmergencyAccessReviews grants, RecordAccessHistory history,
                               GovernanceReviewing reviewing, IdentityConfirmationReviewPages identityConfirmations,
                               java.time.Clock clock) {
        this.identityConfirmations = identityConfirmations;
        this.clock = clock;
        this.grants = grants;
        this.history = history;
        this.reviewing = reviewing;
    }

    /**
     * One grant as the pages show it, its times in the trust's time zone; {@code ends} is when the access ended, or
     * ends while {@code inForce}.
     */
    record Row(String id, String patientName, String nhsNumber, String staffName, String reason, String granted,
               String ends, boolean inForce, String reviewedBy, String reviewedAt, String reviewNote) {
    }

    /** One thing done under a grant. */
    record Done(String when, String what, boolean refused, boolean failed) {
    }

    @GetMapping("/staff/emergency-access")
    String list(@RequestParam(defaultValue = "unreviewed") String status, HttpServletRequest request, Model model) {
        reviewing.requireReviewer(request, REVIEWERS_ONLY);
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
        reviewing.shown(found.stream().map(BreakGlassGrant::patientId).toList());
        return "security/emergency-access";
    }

    @GetMapping("/staff/emergency-access/{grantId}")
    String grant(@PathVariable String grantId, HttpServletRequest request, Model model) {
        concerning(grantId, request);
        reviewing.requireReviewer(request, REVIEWERS_ONLY);
        BreakGlassGrant grant = found(grantId);
        show(grant, model, new FormErrors(), "");
        return "security/emergency-access-grant";
    }

    @PostMapping("/staff/emergency-access/{grantId}")
    String review(@PathVariable String grantId, @RequestParam(defaultValue = "") String note,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        concerning(grantId, request);
        Requester reviewer = reviewing.requireReviewer(request, REVIEWERS_ONLY);
        BreakGlassGrant grant = found(grantId);
        FormErrors errors = new FormErrors();
        GovernanceReviewing.Outcome outcome = GovernanceReviewing.review(note,
                "Enter a review note: whether the emergency access was appropriate, and why", "emergency access",
                errors, text -> grants.review(grantId, reviewer, text));
        if (outcome == GovernanceReviewing.Outcome.RECORDED) {
            redirect.addFlashAttribute("notice", "Review recorded for "
                    + reviewing.patientName(grant.patientId()) + ".");
            return "redirect:/staff/emergency-access";
        }
        if (outcome == GovernanceReviewing.Outcome.REVIEWED_MEANWHILE) {
            grant = found(grantId);
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
        reviewing.shown(List.of(grant.patientId()));
    }

    private void concerning(String grantId, HttpServletRequest request) {
        GovernanceReviewing.concerning(request, () -> grants.find(grantId).map(BreakGlassGrant::patientId));
    }

    private BreakGlassGrant found(String grantId) {
        return grants.find(grantId).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such emergency access"));
    }

    private Row row(BreakGlassGrant g, Map<String, String> names) {
        Patient patient = reviewing.people().patient(g.patientId()).orElse(null);
        return new Row(g.id(), patient == null ? "Patient " + g.patientId() : PatientDisplay.name(patient),
                patient == null ? null : PatientDisplay.nhsNumber(patient),
                names.computeIfAbsent(g.fhirUser() == null ? "" : g.fhirUser(), this::staffName), g.reason(),
                when(g.grantedAt()), when(g.expiresAt()), g.expiresAt().isAfter(clock.instant()),
                g.reviewedBy(), g.reviewedAt() == null ? null : when(g.reviewedAt()), g.reviewNote());
    }

    /** A member of staff's name; their reference when there is no readable record. */
    private String staffName(String fhirUser) {
        return fhirUser.isEmpty() ? "Unknown" : reviewing.people().personName(fhirUser).orElse(fhirUser);
    }

    private static String when(Instant instant) {
        return GovernanceReviewing.when(instant);
    }
}
