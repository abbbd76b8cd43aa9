package org.charnwood.app.workspace;

import org.charnwood.app.web.StaffPages;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

import java.util.Map;

/** The patient's record summary, under the patient banner. */
@Controller
@StaffPages
class PatientRecordPages {

    private final PatientBanners banners;
    private final RecordSummaries summaries;
    private final ClinicalRecord record;

    PatientRecordPages(PatientBanners banners, RecordSummaries summaries, ClinicalRecord record) {
        this.banners = banners;
        this.summaries = summaries;
        this.record = record;
    }

    @GetMapping("/staff/patients/{patientId}")
    String summary(@PathVariable String patientId,
                   @org.springframework.web.bind.annotation.RequestParam(name = "break-glass", required = false)
                   String breakGlassOutcome, Model model) {
        model.addAttribute("summary", summaries.summary(patientId));
        // The banner after the summary, so that its restricted marker also counts what the summary left out.
        model.addAttribute("banner", banner(banners, patientId));
        // Emergency access is offered only where it would open something: when the person has no relationship and
        // their role may use it. Entries labelled for other roles stay hidden under a grant too, so a person who
        // already reaches the record is not offered it; a role that may not use it is told whom to ask. The grant
        // itself is the access policy's (POST /api/break-glass).
        boolean hidden = ClinicalRecord.somethingHidden();
        boolean reaches = record.reaches(patientId);
        boolean mayBreakGlass = record.mayBreakGlass();
        // An account linked to no practitioner is told so up front: the grant would refuse it after the reason
        // was written.
        boolean linked = record.linkedToPractitioner();
        model.addAttribute("breakGlass", hidden && !reaches && mayBreakGlass && linked);
        model.addAttribute("notLinked", hidden && !reaches && mayBreakGlass && !linked);
        model.addAttribute("noRelationship", hidden && !reaches && !mayBreakGlass);
        model.addAttribute("seen", seen(patientId));
        model.addAttribute("breakGlassError", switch (breakGlassOutcome == null ? "" : breakGlassOutcome) {
            case "invalid" -> "Enter why you need emergency access, in at least a sentence";
            case "too-long" -> "Reason for emergency access must be 2,000 characters or fewer";
            case "not-a-record" -> "This is not a patient's record in use (a provisional record from a self-referral,"
                    + " or one replaced by another), so emergency access would open nothing: find the patient's own"
                    + " record by their NHS number";
            case "not-linked" -> "Your account is not linked to a practitioner record, so emergency access would"
                    + " open nothing: ask your system administrator to link it";
            default -> null;
        });
        return "workspace/record-summary";
    }

    /** The type each list of the summary shows, by the list's id in the page. */
    private static final Map<String, String> LIST_TYPES = Map.of("problems", "Condition",
            "allergies", "AllergyIntolerance", "medications", "MedicationRequest", "observations", "Observation",
            "care-plans", "CarePlan", "episodes", "EpisodeOfCare", "appointments", "Appointment",
            "documents", "DocumentReference", "contacts", "Encounter");

    /**
     * How much of each list's type the person sees, so that an empty list is not read as "none recorded" by
     * someone who may not see them (a clinical-safety matter for problems, allergies and medicines).
     */
    private Map<String, ClinicalRecord.Seen> seen(String patientId) {
        Map<String, ClinicalRecord.Seen> seen = new java.util.HashMap<>();
        LIST_TYPES.forEach((list, type) -> seen.put(list, record.seen(patientId, type)));
        return seen;
    }

    static PatientBanner banner(PatientBanners banners, String patientId) {
        return banners.banner(patientId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such patient"));
    }
}
