package org.charnwood.app.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.OnlyPatientsShown;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.fhir.FhirRepository;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /my/record-access}: "Who has viewed my record" for a signed-in patient (identity verified to P9,
 * or by the trust), or for a carer whose proxy Consent shares it ({@link AccessPolicy#accessHistoryPatients}).
 * Twenty entries a page, newest first. The patient's own use and backend systems' work are left out. Reading it is
 * recorded like any page of the record, naming the patient (so a carer's reading shows in the patient's own history).
 * A carer who may see it for several patients first chooses whose, and while looking at one of them every page says
 * whose it is, with a way back to the choice ("Stop viewing ..."): the choice is the page's {@code patient}
 * parameter, never kept in the session, so going back needs no sign-in and leaves nothing behind to clear.
 */
@Controller
class RecordAccessPages {

    static final int PAGE_SIZE = 20;
    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mma", Locale.UK);

    private final RequesterSource requesters;
    private final AccessPolicy policy;
    private final RecordAccessHistory history;
    private final ApplicationEventPublisher events;
    private final TrailNames people;

    RecordAccessPages(RequesterSource requesters, AccessPolicy policy, RecordAccessHistory history,
                      ApplicationEventPublisher events, FhirRepository repository) {
        this.requesters = requesters;
        this.policy = policy;
        this.history = history;
        this.events = events;
        this.people = new TrailNames(repository);
    }

    /** A person whose record the carer may look at, by name. */
    record Choice(String id, String name) {
    }

    @GetMapping("/my/record-access")
    String recordAccess(@RequestParam(required = false) String patient, @RequestParam(defaultValue = "1") int page,
                        HttpServletRequest request, HttpServletResponse response, Model model) {
        Requester requester = requesters.current(request);
        Set<String> patients = policy.accessHistoryPatients(requester);
        if (patient != null && patient.isBlank()) {
            patient = null;
        }
        String chosen = patient != null ? patient : patients.size() == 1 ? patients.iterator().next() : null;
        boolean carer = requester.kind() == Requester.Kind.CARER;
        model.addAttribute("carer", carer);
        if (chosen == null && carer && patients.size() > 1) {
            // Nothing refused: the carer has not yet said whose record, so they are asked.
            model.addAttribute("choices", patients.stream().map(id -> new Choice(id, nameOf(id))).toList());
            response.setHeader("Cache-Control", "no-store");
            return "patient/record-access-choose";
        }
        if (chosen == null || !patients.contains(chosen)) {
            response.setStatus(403);
            model.addAttribute("unverified", !requester.identityVerifiedForRecordAccess());
            model.addAttribute("patients", patients);
            model.addAttribute("accessEnded", policy.proxyAccessEnded(requester));
            return "patient/record-access-unavailable";
        }
        int current = Math.max(1, page);
        RecordAccessHistory.Page result = history.of(chosen, PAGE_SIZE, (current - 1) * PAGE_SIZE);
        // Read from the audit trail, not the repository: the page's own record names the patient it is about, and
        // only them (the carer's proxy Consents, read to check whom they may see, name the others they help).
        events.publishEvent(new OnlyPatientsShown(Set.of(chosen)));
        model.addAttribute("entries", result.entries().stream().map(e -> new Row(
                DAY.format(e.when().atZone(UK)), TIME.format(e.when().atZone(UK)).toLowerCase(Locale.UK),
                e.when().toString(), e)).toList());
        model.addAttribute("page", current);
        model.addAttribute("hasMore", result.hasMore());
        model.addAttribute("patient", patient);
        if (carer && patients.size() > 1) {
            // Looking at one of several people's records: said on the page, with the way back to the choice.
            model.addAttribute("actingFor", new Choice(chosen, nameOf(chosen)));
        }
        response.setHeader("Cache-Control", "no-store");
        return "patient/record-access";
    }

    /** The patient's name as they would say it, read from their record (so the page's audit record names them). */
    private String nameOf(String patientId) {
        return people.patient(patientId).flatMap(p -> TrailNames.name(p.getName()))
                .orElse("a person you help (" + patientId + ")");
    }

    /** An entry with its date and time written the NHS.UK way (25 November 2026, 3:05pm, UK time). */
    record Row(String day, String time, String instant, RecordAccess access) {
    }
}
