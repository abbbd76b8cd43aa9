package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.app.workspace.DischargeForm.Discharge;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.util.List;

/**
 * Close an episode of care (discharge): the form, one transaction closing the episode (and completing its referral
 * when asked), then a confirmation page (post, redirect, get). The form carries the version of the episode it was
 * opened at; when someone else changed or closed the episode meanwhile, nothing is saved and the form is shown
 * again (409) with the episode as it is now and what the person typed.
 */
@Controller
@StaffPages
class DischargePages {

    /** What the confirmation shows. */
    record Closed(String episode, String end, String reason, boolean referralCompleted) {
    }

    private final RecordWrites writes;
    private final PatientBanners banners;
    private final ClinicalRecord record;
    private final SnomedAnswers snomed;
    private final EpisodeDischarges discharges;
    private final RequesterSource requesters;
    private final Clock clock;

    DischargePages(RecordWrites writes, PatientBanners banners, ClinicalRecord record, SnomedAnswers snomed,
                   EpisodeDischarges discharges, RequesterSource requesters, Clock clock) {
        this.writes = writes;
        this.banners = banners;
        this.record = record;
        this.snomed = snomed;
        this.discharges = discharges;
        this.requesters = requesters;
        this.clock = clock;
    }

    @GetMapping("/staff/patients/{patientId}/episodes/{episodeId}/close")
    String form(@PathVariable String patientId, @PathVariable String episodeId, HttpServletRequest request,
                Model model) {
        PatientBanner banner = PatientRecordPages.banner(banners, patientId);
        StoredResource stored = episodeOf(patientId, episodeId);
        EpisodeOfCare episode = open(stored);
        refuseUnlessAllowed(request, episode);
        return show(banner, episode, DischargeForm.endingOn(Text.today(clock), RecordWrites.version(stored)),
                new FormErrors(), model);
    }

    @PostMapping("/staff/patients/{patientId}/episodes/{episodeId}/close")
    String close(@PathVariable String patientId, @PathVariable String episodeId,
                 @ModelAttribute("form") DischargeForm form, HttpServletRequest request, Model model,
                 RedirectAttributes redirect) {
        PatientBanner banner = PatientRecordPages.banner(banners, patientId);
        StoredResource stored = episodeOf(patientId, episodeId);
        EpisodeOfCare episode = stored.parse(EpisodeOfCare.class);
        refuseUnlessAllowed(request, episode);
        FormErrors errors = new FormErrors();
        if (!isOpen(episode) || !RecordWrites.version(stored).equals(trimmed(form.getVersion()))) {
            return changedMeanwhile(banner, patientId, episodeId, form, errors, model);
        }
        Discharge discharge = form.validate(episode, Text.today(clock), snomed, errors);
        if (discharge == null) {
            return show(banner, episode, form, errors, model);
        }
        EpisodeDischarges.Closed closed;
        try {
            closed = discharges.close(requesters.current(request), episodeId, stored.version(), discharge);
        } catch (EpisodeDischarges.ChangedMeanwhile e) {
            return changedMeanwhile(banner, patientId, episodeId, form, errors, model);
        }
        redirect.addFlashAttribute("closed", new Closed(ContactPages.choice(episode).label(),
                Text.date(discharge.end()), discharge.reason().getDisplay(), closed.referralCompleted()));
        return "redirect:/staff/patients/" + patientId + "/episodes/" + episodeId + "/closed";
    }

    @GetMapping("/staff/patients/{patientId}/episodes/{episodeId}/closed")
    String closed(@PathVariable String patientId, @PathVariable String episodeId, Model model) {
        if (!model.containsAttribute("closed")) {
            return "redirect:/staff/patients/" + patientId;
        }
        model.addAttribute("banner", PatientRecordPages.banner(banners, patientId));
        return "workspace/episode-closed";
    }

    /**
     * Someone else changed or closed the episode after the form was opened: nothing was saved; the page says so
     * (409), shows the episode as it is now, and keeps what was typed, now at the stored version, so discharging
     * again is a decision about the episode as just shown. A closed episode is not offered for discharge again.
     */
    private String changedMeanwhile(PatientBanner banner, String patientId, String episodeId, DischargeForm form,
                                    FormErrors errors, Model model) {
        StoredResource now = episodeOf(patientId, episodeId);
        EpisodeOfCare episode = now.parse(EpisodeOfCare.class);
        boolean open = isOpen(episode);
        errors.changedMeanwhile(open
                ? "Someone else changed this episode of care after you opened the form, so the discharge has not"
                + " been saved. What is saved now is shown below, and what you entered is still in the form: check"
                + " the episode as it is now, then discharge the patient again if it is still needed."
                : "Someone else closed this episode of care after you opened the form, so your discharge has not"
                + " been saved. What is saved now is shown below.");
        form.setVersion(RecordWrites.version(now));
        model.addAttribute("storedNow", storedNow(episode));
        return show(banner, episode, form, errors, model);
    }

    /** The episode as it is stored, line by line, for the page that says someone else changed it. */
    private static List<String[]> storedNow(EpisodeOfCare episode) {
        org.hl7.fhir.r4.model.Extension reason = episode.getExtensionByUrl(ContactCoding.DISCHARGE_REASON_EXTENSION);
        return RecordEntryForm.lines("Status", episode.hasStatus() ? episode.getStatus().getDisplay() : null,
                "Started", episode.getPeriod().hasStart() ? Text.date(episode.getPeriod().getStart()) : null,
                "Ended", episode.getPeriod().hasEnd() ? Text.date(episode.getPeriod().getEnd()) : null,
                "Team", episode.hasTeam() ? episode.getTeamFirstRep().getDisplay() : null,
                "Reason for discharge", reason != null && reason.getValue() instanceof CodeableConcept c
                        ? Text.concept(c) : null);
    }

    private String show(PatientBanner banner, EpisodeOfCare episode, DischargeForm form, FormErrors errors,
                        Model model) {
        model.addAttribute("banner", banner);
        model.addAttribute("open", isOpen(episode));
        model.addAttribute("episode", ContactPages.choice(episode));
        model.addAttribute("hasReferral", episode.hasReferralRequest());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("reasonEcl", ContactCoding.DISCHARGE_REASON_ECL);
        return "workspace/discharge-form";
    }

    /** The patient's episode as stored, open or not; someone else's is not found. */
    private StoredResource episodeOf(String patientId, String episodeId) {
        return record.stored("EpisodeOfCare", episodeId)
                .filter(s -> ("Patient/" + patientId).equals(s.parse(EpisodeOfCare.class).getPatient().getReference()))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such episode of care"));
    }

    /** The episode, when it is still open: the discharge form is only offered for an open one. */
    private static EpisodeOfCare open(StoredResource stored) {
        EpisodeOfCare episode = stored.parse(EpisodeOfCare.class);
        if (!isOpen(episode)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such open episode of care");
        }
        return episode;
    }

    private static boolean isOpen(EpisodeOfCare episode) {
        return episode.getStatus() == EpisodeOfCare.EpisodeOfCareStatus.ACTIVE;
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }

    /**
     * As the FHIR API would decide for the same update of the episode. The policy counts an episode as
     * administrative, open to anyone who may do administration; but a discharge is a decision about care with a
     * clinical reason, so the page also asks what it asks for a contact: a legitimate relationship (or
     * break-glass) with the patient.
     */
    private void refuseUnlessAllowed(HttpServletRequest request, EpisodeOfCare episode) {
        org.hl7.fhir.r4.model.Encounter clinical = new org.hl7.fhir.r4.model.Encounter();
        clinical.setStatus(org.hl7.fhir.r4.model.Encounter.EncounterStatus.FINISHED);
        clinical.setSubject(episode.getPatient().copy());
        writes.allowed(request, FhirAction.CREATE, clinical);
        writes.allowed(request, FhirAction.UPDATE, episode);
    }
}
