package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.app.workspace.ContactForm.Contact;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Record a contact: the form (validated on the server, coded fields resolved on the server when scripts do not
 * run), one transaction for the Encounter and its note, then a confirmation (post, redirect, get: refreshing
 * cannot record the contact twice).
 */
@Controller
@StaffPages
class ContactPages {

    /** An open episode offered on the form. */
    record EpisodeChoice(String id, String label, String hint) {
    }

    /** What the confirmation shows. */
    record Recorded(String mechanism, String when, String reason, String outcome, boolean attended, boolean note) {
    }

    private final RecordWrites writes;
    private final PatientBanners banners;
    private final ClinicalRecord record;
    private final SnomedAnswers snomed;
    private final Contacts contacts;
    private final Clock clock;

    ContactPages(RecordWrites writes, PatientBanners banners, ClinicalRecord record, SnomedAnswers snomed,
                 Contacts contacts, Clock clock) {
        this.writes = writes;
        this.banners = banners;
        this.record = record;
        this.snomed = snomed;
        this.contacts = contacts;
        this.clock = clock;
    }

    @GetMapping("/staff/patients/{patientId}/contacts/new")
    String form(@PathVariable String patientId, HttpServletRequest request, Model model) {
        PatientBanner banner = PatientRecordPages.banner(banners, patientId);
        refuseUnlessAllowed(request, patientId);
        List<EpisodeOfCare> open = openEpisodes(record, patientId);
        return show(banner, open, ContactForm.startingAt(clock.instant().atZone(Text.UK), open), new FormErrors(),
                model);
    }

    @PostMapping("/staff/patients/{patientId}/contacts")
    String save(@PathVariable String patientId, @ModelAttribute("form") ContactForm form, HttpServletRequest request,
                Model model, RedirectAttributes redirect) {
        PatientBanner banner = PatientRecordPages.banner(banners, patientId);
        Requester requester = refuseUnlessAllowed(request, patientId);
        List<EpisodeOfCare> open = openEpisodes(record, patientId);
        FormErrors errors = new FormErrors();
        Instant now = clock.instant();
        Contact contact = form.validate(open, now, snomed, errors);
        if (contact == null) {
            return show(banner, open, form, errors, model);
        }
        contacts.record(patientId, contact, requester.fhirUser(), now);
        redirect.addFlashAttribute("recorded", new Recorded(contact.mechanism().label(),
                Text.dateTime(java.util.Date.from(contact.start())), contact.reason().getDisplay(),
                contact.outcome() == null ? null : contact.outcome().getDisplay(), contact.attended(),
                contact.note() != null));
        return "redirect:/staff/patients/" + patientId + "/contacts/recorded";
    }

    @GetMapping("/staff/patients/{patientId}/contacts/recorded")
    String recorded(@PathVariable String patientId, Model model) {
        if (!model.containsAttribute("recorded")) {
            return "redirect:/staff/patients/" + patientId;
        }
        model.addAttribute("banner", PatientRecordPages.banner(banners, patientId));
        return "workspace/contact-recorded";
    }

    private String show(PatientBanner banner, List<EpisodeOfCare> open, ContactForm form, FormErrors errors,
                        Model model) {
        model.addAttribute("banner", banner);
        model.addAttribute("episodes", open.stream().map(ContactPages::choice).toList());
        model.addAttribute("mechanisms", ContactCoding.Mechanism.values());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("reasonEcl", ContactCoding.REASON_ECL);
        model.addAttribute("outcomeEcl", ContactCoding.OUTCOME_ECL);
        return "workspace/contact-form";
    }

    /** The patient's active episodes of care, as the person signed in may see them, oldest first. */
    static List<EpisodeOfCare> openEpisodes(ClinicalRecord record, String patientId) {
        return record.search("EpisodeOfCare", EpisodeOfCare.class, "patient", "Patient/" + patientId,
                        "status", "active", "_count", "50").stream()
                .sorted(Comparator.comparing((EpisodeOfCare e) -> e.getPeriod().getStart(),
                        Comparator.nullsLast(Comparator.naturalOrder())))
                .toList();
    }

    static EpisodeChoice choice(EpisodeOfCare episode) {
        String label = episode.hasType() ? Text.concept(episode.getTypeFirstRep()) : "Episode of care";
        StringBuilder hint = new StringBuilder();
        if (episode.getPeriod().hasStart()) {
            hint.append("Since ").append(Text.date(episode.getPeriod().getStart()));
        }
        if (episode.hasTeam() && episode.getTeamFirstRep().hasDisplay()) {
            hint.append(hint.isEmpty() ? "" : ", ").append(episode.getTeamFirstRep().getDisplay());
        }
        return new EpisodeChoice(episode.getIdElement().getIdPart(), label, hint.toString());
    }

    /**
     * The access policy decides whether this person may record a contact for this patient, as it would for the
     * same Encounter and note sent to the FHIR API; a refusal says why, as the other record forms do.
     */
    private Requester refuseUnlessAllowed(HttpServletRequest request, String patientId) {
        Reference patient = new Reference("Patient/" + patientId);
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter.setSubject(patient);
        DocumentReference note = new DocumentReference();
        note.setSubject(patient);
        writes.allowed(request, FhirAction.CREATE, encounter);
        return writes.allowed(request, FhirAction.CREATE, note);
    }
}
