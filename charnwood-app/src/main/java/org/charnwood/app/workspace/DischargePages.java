package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.app.workspace.DischargeForm.Discharge;
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

/**
 * Close an episode of care (discharge): the form, one transaction closing the episode (and completing its referral
 * when asked), then a confirmation page (post, redirect, get).
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
        EpisodeOfCare episode = openEpisode(patientId, episodeId);
        refuseUnlessAllowed(request, episode);
        return show(banner, episode, DischargeForm.endingOn(Text.today(clock)), new FormErrors(), model);
    }

    @PostMapping("/staff/patients/{patientId}/episodes/{episodeId}/close")
    String close(@PathVariable String patientId, @PathVariable String episodeId,
                 @ModelAttribute("form") DischargeForm form, HttpServletRequest request, Model model,
                 RedirectAttributes redirect) {
        PatientBanner banner = PatientRecordPages.banner(banners, patientId);
        EpisodeOfCare episode = openEpisode(patientId, episodeId);
        refuseUnlessAllowed(request, episode);
        FormErrors errors = new FormErrors();
        Discharge discharge = form.validate(episode, Text.today(clock), snomed, errors);
        if (discharge == null) {
            return show(banner, episode, form, errors, model);
        }
        EpisodeDischarges.Closed closed = discharges.close(requesters.current(request), episodeId, discharge);
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

    private String show(PatientBanner banner, EpisodeOfCare episode, DischargeForm form, FormErrors errors,
                        Model model) {
        model.addAttribute("banner", banner);
        model.addAttribute("episode", ContactPages.choice(episode));
        model.addAttribute("hasReferral", episode.hasReferralRequest());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("reasonEcl", ContactCoding.DISCHARGE_REASON_ECL);
        return "workspace/discharge-form";
    }

    /** The patient's episode, open; a closed episode or someone else's is not found. */
    private EpisodeOfCare openEpisode(String patientId, String episodeId) {
        return record.read("EpisodeOfCare", episodeId, EpisodeOfCare.class)
                .filter(e -> ("Patient/" + patientId).equals(e.getPatient().getReference()))
                .filter(e -> e.getStatus() == EpisodeOfCare.EpisodeOfCareStatus.ACTIVE)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such open episode of care"));
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
