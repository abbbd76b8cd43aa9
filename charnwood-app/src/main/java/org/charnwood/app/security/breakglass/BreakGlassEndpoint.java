package org.charnwood.app.security.breakglass;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.RequestAimedAt;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.EmergencyAccessReviews;
import org.charnwood.app.security.PatientDataShown;
import org.charnwood.app.security.ProvisionalRecords;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.security.policy.AccessSettings;
import org.charnwood.app.security.policy.RoleActivities;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.charnwood.app.security.BreakGlassGrant;
import org.charnwood.app.security.BreakGlassRefused;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code POST /api/break-glass}: a member of staff whose role allows it opens one patient's record for a
 * limited time, stating why; {@code GET /api/break-glass/reviews} and {@code POST /api/break-glass/{id}/review}
 * are the information governance review list. A grant and a review are each stored in one transaction with their
 * audit record (the event they publish is recorded inside it), and the review list names in its own audit record
 * every patient it shows.
 */
@RestController
class BreakGlassEndpoint {

    private static final int MAX_TEXT = EmergencyAccessReviews.MAX_TEXT;
    /** A FHIR id: what any patient's id is, so anything else names no patient. */
    private static final java.util.regex.Pattern FHIR_ID = java.util.regex.Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final BreakGlass breakGlass;
    private final BreakGlassGrants grants;
    private final RequesterSource requesters;
    private final FhirRepository repository;
    private final ApplicationEventPublisher events;
    private final AccessSettings settings;

    BreakGlassEndpoint(BreakGlass breakGlass, BreakGlassGrants grants, RequesterSource requesters,
                       FhirRepository repository, ApplicationEventPublisher events, AccessSettings settings) {
        this.breakGlass = breakGlass;
        this.grants = grants;
        this.requesters = requesters;
        this.repository = repository;
        this.events = events;
        this.settings = settings;
    }

    /** What a member of staff sends: the patient and why. */
    record Request(String patientId, String reason) {
    }

    /** A grant as the API shows it. */
    record Grant(String id, String fhirUser, String patientId, String reason, Instant grantedAt, Instant expiresAt,
                 Instant reviewedAt, String reviewedBy, String reviewNote) {
        static Grant of(BreakGlassGrant g) {
            return new Grant(g.id(), g.fhirUser(), g.patientId(), g.reason(), g.grantedAt(), g.expiresAt(),
                    g.reviewedAt(), g.reviewedBy(), g.reviewNote());
        }
    }

    /** An information governance officer's review. */
    record Review(String note) {
    }

    @PostMapping("/api/break-glass")
    ResponseEntity<Grant> grant(@RequestBody(required = false) Request body, HttpServletRequest http) {
        Requester requester = requesters.current(http);
        String patientId = body == null ? null : body.patientId();
        // A refusal that is not a staff member's attempt (recorded by its alert) is recorded against the patient too.
        RequestAimedAt.patient(http, patientId != null && FHIR_ID.matcher(patientId).matches() ? patientId : null);
        String reason = StatedReason.normalised(body == null ? null : body.reason());
        try {
            require(requester, Activity.BREAK_GLASS);
            requireLinkedToPractitioner(requester);
            if (patientId == null || patientId.isBlank()) {
                throw invalid("Name the patient (patientId)");
            }
            if (!FHIR_ID.matcher(patientId).matches()) {
                throw invalid("patientId is not a patient's id (letters, digits, '-' and '.', at most 64)");
            }
            if (StatedReason.hasHiddenCharacters(reason)) {
                throw invalid("The reason for emergency access holds control or invisible characters; state it in"
                        + " plain text");
            }
            if (reason.length() > MAX_TEXT) {
                throw invalid("State the reason for emergency access in at most " + MAX_TEXT + " characters");
            }
            if (reason.length() < settings.breakGlassMinReason() || !StatedReason.readsAsWords(reason)) {
                throw invalid("State the reason for emergency access in words, in at least "
                        + settings.breakGlassMinReason() + " characters: why you must open this record now");
            }
        } catch (FhirException refused) {
            recordAttempt(requester, patientId, reason, refused);
            throw refused;
        }
        requireOpenableRecord(patientId);
        BreakGlassGrant g = breakGlass.grant(requester, patientId, reason);
        return ResponseEntity.status(201).body(Grant.of(g));
    }

    /**
     * Emergency access opens a patient's record: one that exists (404), was not deleted (410), and is a patient's own
     * record in use. A provisional record made from an unchecked self-referral holds what a sender said about
     * someone, not that person's record, and a record taken out of use (merged into another) holds nothing further:
     * a grant to either would open nothing the clinician needs yet stand on the review list, so it is refused
     * saying where to look instead.
     */
    private void requireOpenableRecord(String patientId) {
        org.hl7.fhir.r4.model.Patient patient = repository.read("Patient", patientId)
                .parse(org.hl7.fhir.r4.model.Patient.class);
        if (ProvisionalRecords.unverified(patient)) {
            throw FhirException.of(422, ErrorCode.BREAK_GLASS_INVALID, IssueType.BUSINESSRULE, "Patient/" + patientId
                    + " is a provisional record made from a self-referral whose sender is not yet identified, not a"
                    + " patient's record: find the patient's own record by their NHS number or details");
        }
        if (patient.hasActive() && !patient.getActive()) {
            String replacedBy = patient.getLink().stream()
                    .filter(l -> l.getType() == org.hl7.fhir.r4.model.Patient.LinkType.REPLACEDBY
                            && l.getOther().getReference() != null)
                    .map(l -> l.getOther().getReference()).findFirst().orElse(null);
            throw FhirException.of(422, ErrorCode.BREAK_GLASS_INVALID, IssueType.BUSINESSRULE, "Patient/" + patientId
                    + " is no longer in use" + (replacedBy == null ? ": find the patient's current record"
                    : ": it was replaced by " + replacedBy + ", which is the record to open"));
        }
    }

    /**
     * A refused request for emergency access is recorded against the patient it named (when that patient exists),
     * so the attempt is in the patient's trail beside the grants. The reason is kept to the length a grant may have.
     */
    private void recordAttempt(Requester requester, String patientId, String reason, FhirException refused) {
        if (patientId == null || !FHIR_ID.matcher(patientId).matches() || requester.kind() != Requester.Kind.STAFF) {
            return;
        }
        try {
            repository.read("Patient", patientId);
        } catch (FhirException noSuchPatient) {
            return;
        }
        String visible = StatedReason.withoutHiddenCharacters(reason);
        String kept = visible.length() > MAX_TEXT ? visible.substring(0, MAX_TEXT) : visible;
        events.publishEvent(new BreakGlassRefused(requester, patientId, kept, refused.getMessage()));
    }

    /**
     * The same grant from a staff page's form: back to the patient's record summary, open now, or with the
     * reason asked for again when it was too short. Other refusals are errors, as for the JSON form.
     */
    @PostMapping(value = "/api/break-glass", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    void grantFromPage(@RequestParam(defaultValue = "") String patientId, @RequestParam(defaultValue = "") String reason,
                       HttpServletRequest http, HttpServletResponse response) throws java.io.IOException {
        String summary = "/staff/patients/" + java.net.URLEncoder.encode(patientId, java.nio.charset.StandardCharsets.UTF_8);
        try {
            grant(new Request(patientId, reason), http);
        } catch (FhirException e) {
            if (e.status() == 403 && !patientId.isBlank()) {
                // The summary says the role cannot open records in an emergency, and whom to ask; or, for an
                // account linked to no practitioner, that it must be linked first.
                Requester requester = requesters.current(http);
                boolean notLinked = RoleActivities.of(requester.roles()).contains(Activity.BREAK_GLASS)
                        && !requester.linkedToPractitioner();
                response.sendRedirect(summary + (notLinked ? "?break-glass=not-linked" : ""));
                return;
            }
            if (e.status() == 409 && !patientId.isBlank()) {
                response.sendRedirect(summary); // a grant is in force already: the record is open
                return;
            }
            if (e.status() == 422 && !patientId.isBlank()) {
                response.sendRedirect(summary + "?break-glass=not-a-record");
                return;
            }
            if (e.status() != 400 || patientId.isBlank()) {
                throw e;
            }
            response.sendRedirect(summary + (StatedReason.normalised(reason).length() > MAX_TEXT ? "?break-glass=too-long"
                    : "?break-glass=invalid"));
            return;
        }
        response.sendRedirect(summary);
    }

    @GetMapping("/api/break-glass/reviews")
    List<Grant> reviews(@RequestParam(defaultValue = "unreviewed") String status,
                        @RequestParam(defaultValue = "100") int limit, HttpServletRequest http) {
        require(requesters.current(http), Activity.AUDIT_REVIEW);
        Boolean reviewed = switch (status) {
            case "unreviewed" -> false;
            case "reviewed" -> true;
            case "all" -> null;
            default -> throw invalid("status is unreviewed, reviewed or all");
        };
        List<Grant> listed = grants.list(reviewed, Math.max(1, Math.min(limit, 1000))).stream().map(Grant::of).toList();
        var patients = new LinkedHashSet<String>();
        listed.forEach(g -> patients.add(g.patientId()));
        if (!patients.isEmpty()) {
            events.publishEvent(new PatientDataShown(patients));
        }
        return listed;
    }

    @PostMapping("/api/break-glass/{id}/review")
    Grant review(@PathVariable String id, @RequestBody(required = false) Review body, HttpServletRequest http) {
        // A refused or repeated review is recorded against the grant's patient (never told to the caller).
        breakGlass.find(id).ifPresent(g -> RequestAimedAt.patient(http, g.patientId()));
        Requester requester = requesters.current(http);
        require(requester, Activity.AUDIT_REVIEW);
        if (body == null || body.note() == null || body.note().isBlank()) {
            throw invalid("A review needs a note");
        }
        if (body.note().strip().length() > MAX_TEXT) {
            throw invalid("A review note has at most " + MAX_TEXT + " characters");
        }
        return Grant.of(breakGlass.review(id, requester, body.note().strip()));
    }

    static void require(Requester requester, Activity activity) {
        if (requester.kind() == Requester.Kind.ANONYMOUS) {
            throw FhirException.of(401, ErrorCode.AUTHENTICATION_REQUIRED, IssueType.LOGIN, "Sign in first");
        }
        if (requester.kind() != Requester.Kind.STAFF || !RoleActivities.of(requester.roles()).contains(activity)) {
            throw FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN,
                    "Your role does not permit " + activity.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }

    /**
     * A grant opens the record to the grant's FHIR user, whose relationships and grants the access policy reads by
     * their Practitioner: for a staff account linked to none it would open nothing, yet still stand on the
     * information governance list as emergency access used. Refused instead, with what to do about it.
     */
    static void requireLinkedToPractitioner(Requester requester) {
        if (!requester.linkedToPractitioner()) {
            throw FhirException.of(403, ErrorCode.ACCESS_DENIED, IssueType.FORBIDDEN, "Your account is not linked"
                    + " to a practitioner record, so emergency access would open nothing for it: ask your system"
                    + " administrator to link your account to your practitioner record");
        }
    }

    static FhirException invalid(String message) {
        return FhirException.of(400, ErrorCode.BREAK_GLASS_INVALID, IssueType.INVALID, message);
    }
}
