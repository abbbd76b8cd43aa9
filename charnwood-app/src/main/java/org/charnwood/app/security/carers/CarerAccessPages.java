package org.charnwood.app.security.carers;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.security.policy.RecordEntryNames;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /my/carers}: "People who can see your record". A patient sees each carer with proxy access to their
 * record, since when and what they can see, and can stop it (after saying they are sure) or change what is shared.
 * Only the patient themselves, with their identity verified for record access, may: a carer acting for them is
 * refused, as is a patient whose identity was proven only to a lower level. Giving access to someone new stays
 * with the care team, who check who the carer is first; the page says how to ask.
 */
@Controller
class CarerAccessPages {

    static final String PATH = "/my/carers";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
    private static final ZoneId UK = ZoneId.of("Europe/London");

    private final CarerAccess carers;
    private final RequesterSource requesters;

    CarerAccessPages(CarerAccess carers, RequesterSource requesters) {
        this.carers = carers;
        this.requesters = requesters;
    }

    /** A carer as the page shows them. */
    record Row(String consentId, String carerId, String name, String relationship, String sinceDay, String since,
               List<String> sees) {
    }

    /** One thing a patient may tick to share, with whether it is shared now. */
    record Choice(String key, String words, boolean ticked) {
    }

    @GetMapping(PATH)
    String list(HttpServletRequest request, HttpServletResponse response, Model model) {
        String patient = patientOnly(request, response, model);
        if (patient == null) {
            return "patient/carers-unavailable";
        }
        model.addAttribute("carers", carers.of(patient).stream().map(CarerAccessPages::row).toList());
        response.setHeader("Cache-Control", "no-store");
        return "patient/carers";
    }

    @GetMapping(PATH + "/stop")
    String confirmStop(@RequestParam String consent, @RequestParam String carer, HttpServletRequest request,
                       HttpServletResponse response, Model model) {
        String patient = patientOnly(request, response, model);
        if (patient == null) {
            return "patient/carers-unavailable";
        }
        var found = carers.find(patient, consent, carer);
        if (found.isEmpty()) {
            return "redirect:" + PATH;
        }
        model.addAttribute("carer", row(found.get()));
        response.setHeader("Cache-Control", "no-store");
        return "patient/carer-stop";
    }

    @PostMapping(PATH + "/stop")
    String stop(@RequestParam String consent, @RequestParam String carer, HttpServletRequest request,
                HttpServletResponse response, Model model, RedirectAttributes redirect) {
        String patient = patientOnly(request, response, model);
        if (patient == null) {
            return "patient/carers-unavailable";
        }
        var found = carers.find(patient, consent, carer);
        if (found.isPresent() && carers.stop(patient, consent, carer)) {
            redirect.addFlashAttribute("stopped", found.get().name());
        }
        return "redirect:" + PATH;
    }

    @GetMapping(PATH + "/change")
    String changeForm(@RequestParam String consent, @RequestParam String carer, HttpServletRequest request,
                      HttpServletResponse response, Model model) {
        String patient = patientOnly(request, response, model);
        if (patient == null) {
            return "patient/carers-unavailable";
        }
        var found = carers.find(patient, consent, carer);
        if (found.isEmpty()) {
            return "redirect:" + PATH;
        }
        Set<String> types = found.get().types();
        model.addAttribute("carer", row(found.get()));
        model.addAttribute("version", carers.version(consent));
        model.addAttribute("everything", types.isEmpty());
        model.addAttribute("choices", choices(types::contains));
        response.setHeader("Cache-Control", "no-store");
        return "patient/carer-change";
    }

    @PostMapping(PATH + "/change")
    String change(@RequestParam String consent, @RequestParam String carer,
                  @RequestParam(name = "share", required = false) List<String> share,
                  @RequestParam(required = false) String version, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes redirect) {
        String patient = patientOnly(request, response, model);
        if (patient == null) {
            return "patient/carers-unavailable";
        }
        var found = carers.find(patient, consent, carer);
        if (found.isEmpty()) {
            return "redirect:" + PATH;
        }
        Set<String> ticked = share == null ? Set.of() : Set.copyOf(share);
        Set<String> types = new TreeSet<>();
        RecordEntryNames.SHAREABLE.forEach((key, covers) -> {
            if (ticked.contains(key)) {
                types.addAll(covers);
            }
        });
        if (types.isEmpty()) {
            response.setStatus(400);
            model.addAttribute("carer", row(found.get()));
            model.addAttribute("version", version);
            model.addAttribute("everything", found.get().types().isEmpty());
            model.addAttribute("choices", choices(t -> false));
            model.addAttribute("error", "Choose at least one thing " + found.get().name()
                    + " can see, or go back and stop their access");
            return "patient/carer-change";
        }
        CarerAccess.Shared shared = carers.share(patient, consent, carer, parsed(version), types);
        if (shared == CarerAccess.Shared.CHANGED_MEANWHILE) {
            // Nothing saved: the patient is shown what the carer sees now, with their own ticks kept to save again.
            var now = carers.find(patient, consent, carer);
            if (now.isEmpty()) {
                return "redirect:" + PATH;
            }
            response.setStatus(409);
            model.addAttribute("carer", row(now.get()));
            model.addAttribute("version", carers.version(consent));
            model.addAttribute("everything", now.get().types().isEmpty());
            model.addAttribute("choices", choices(types::contains));
            model.addAttribute("changedMeanwhile", true);
            return "patient/carer-change";
        }
        if (shared == CarerAccess.Shared.DONE) {
            redirect.addFlashAttribute("changed", found.get().name());
        }
        return "redirect:" + PATH;
    }

    /** The Consent's version the page was opened at; one missing or garbled matches none. */
    private static Integer parsed(String version) {
        try {
            return version == null ? null : Integer.valueOf(version.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The patient's own record id when the person signed in is that patient with their identity verified for
     * record access; otherwise the page says why not (403) and null is returned.
     */
    private String patientOnly(HttpServletRequest request, HttpServletResponse response, Model model) {
        Requester requester = requesters.current(request);
        String fhirUser = requester.fhirUser();
        if (requester.kind() == Requester.Kind.PATIENT && requester.identityVerifiedForRecordAccess()
                && fhirUser != null && fhirUser.startsWith("Patient/")) {
            return fhirUser.substring("Patient/".length());
        }
        response.setStatus(403);
        model.addAttribute("carer", requester.kind() == Requester.Kind.CARER);
        model.addAttribute("unverified", !requester.identityVerifiedForRecordAccess());
        return null;
    }

    private static List<Choice> choices(java.util.function.Predicate<String> shared) {
        Map<String, Choice> out = new LinkedHashMap<>();
        RecordEntryNames.SHAREABLE.forEach((key, covers) -> out.put(key, new Choice(key,
                RecordEntryNames.thing(covers.stream().sorted().findFirst().orElseThrow(), false),
                covers.stream().anyMatch(shared))));
        return List.copyOf(out.values());
    }

    private static Row row(CarerAccess.Carer c) {
        return new Row(c.consentId(), c.carerId(), c.name(), c.relationship(), DAY.format(c.since().atZone(UK)),
                c.since().toString(), CarerAccess.inWords(c.types()));
    }
}
