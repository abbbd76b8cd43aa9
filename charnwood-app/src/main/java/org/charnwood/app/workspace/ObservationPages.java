package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.observations.News2Inputs;
import org.charnwood.app.observations.SpO2Scale;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.time.Instant;

/**
 * The bedside observations form: validated on the server, stored in one transaction, then the NEWS2 result.
 * After saving the browser is redirected to the result (post, redirect, get), so refreshing cannot record the
 * same set twice.
 */
@Controller
@StaffPages
class ObservationPages {

    private final ObservationRecording recording;
    private final PatientBanners banners;
    private final BedsideObservations observations;
    private final RequesterSource requesters;
    private final Clock clock;
    private final WriteRefusals refusals;

    ObservationPages(ObservationRecording recording, PatientBanners banners, BedsideObservations observations, RequesterSource requesters,
                     Clock clock, WriteRefusals refusals) {
        this.recording = recording;
        this.banners = banners;
        this.observations = observations;
        this.requesters = requesters;
        this.clock = clock;
        this.refusals = refusals;
    }

    @GetMapping("/staff/patients/{patientId}/observations/new")
    String form(@PathVariable String patientId, HttpServletRequest request, Model model) {
        model.addAttribute("banner", PatientRecordPages.banner(banners, patientId));
        // A form that could not be saved is not offered: the person is told why instead.
        refuseUnlessAllowed(request, requesters.current(request), patientId);
        model.addAttribute("form", new BedsideObservationsForm());
        model.addAttribute("errors", new FormErrors());
        return "workspace/observations-form";
    }

    @PostMapping("/staff/patients/{patientId}/observations")
    String record(@PathVariable String patientId, @ModelAttribute("form") BedsideObservationsForm form,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        PatientBanner banner = PatientRecordPages.banner(banners, patientId);
        // Refused before the form is checked, as the empty form is: someone who may not record is not shown the
        // form again with its mistakes as though they could put them right and save it.
        Requester requester = requesters.current(request);
        refuseUnlessAllowed(request, requester, patientId);
        FormErrors errors = new FormErrors();
        News2Inputs inputs = form.validate(banner.spo2Scale2() ? SpO2Scale.SCALE_2 : SpO2Scale.SCALE_1, errors);
        if (inputs == null) {
            model.addAttribute("banner", banner);
            model.addAttribute("errors", errors);
            return "workspace/observations-form";
        }
        Instant takenAt = clock.instant();
        observations.record(patientId, inputs, takenAt, requester.fhirUser());
        redirect.addFlashAttribute("result", News2Result.of(inputs, takenAt));
        return "redirect:/staff/patients/" + patientId + "/observations/recorded";
    }

    /** The access policy's refusal, if any, as a page saying why (see {@link ObservationRecording}). */
    private void refuseUnlessAllowed(HttpServletRequest request, Requester requester, String patientId) {
        org.charnwood.fhir.FhirException refusal = recording.refusal(requester, patientId);
        if (refusal != null) {
            throw refusals.refuse(request, requester, refusal);
        }
    }

    @GetMapping("/staff/patients/{patientId}/observations/recorded")
    String recorded(@PathVariable String patientId, Model model) {
        if (!model.containsAttribute("result")) {
            return "redirect:/staff/patients/" + patientId;
        }
        model.addAttribute("banner", PatientRecordPages.banner(banners, patientId));
        return "workspace/observations-recorded";
    }
}
