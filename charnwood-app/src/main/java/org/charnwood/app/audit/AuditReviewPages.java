package org.charnwood.app.audit;

import org.charnwood.app.security.ProvisionalRecords;
import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.PatientDataShown;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.security.StaffAccounts;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.PatientDisplay;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.identity.NhsNumber;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The audit trail for information governance, as pages: every access to one patient's record (found by NHS
 * number), or everything one member of staff did (found by name, or by the user name they sign in with), newest first, fifty to a page. The questions a
 * complaint or an investigation asks ("who looked at this record?", "what did this person look at?") answered
 * without the FHIR API. For roles with the audit review activity only.
 */
@Controller
@StaffPages
class AuditReviewPages {

    static final int PAGE_SIZE = 50;
    private static final ZoneId UK = ZoneId.of("Europe/London");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm:ss", Locale.UK);

    private final RecordAccessHistory history;
    private final StaffAccounts accounts;
    private final RequesterSource requesters;
    private final FhirRepository repository;
    private final TrailNames people;
    private final ApplicationEventPublisher events;

    AuditReviewPages(RecordAccessHistory history, StaffAccounts accounts, RequesterSource requesters,
                     FhirRepository repository, ApplicationEventPublisher events) {
        this.history = history;
        this.accounts = accounts;
        this.requesters = requesters;
        this.repository = repository;
        this.people = new TrailNames(repository);
        this.events = events;
    }

    /** One access as the pages show it. */
    record Row(String when, String who, String role, String what, String patients, boolean refused,
               boolean failed, boolean emergency, String emergencyReason) {
    }

    /** A member of staff found by name. */
    record Person(String reference, String name) {
    }

    @GetMapping("/staff/audit")
    String search(HttpServletRequest request, Model model) {
        requireReviewer(request);
        model.addAttribute("errors", new FormErrors());
        return "security/audit-search";
    }

    /**
     * The look-up by NHS number is posted, and answers with a redirect to the record's trail by its id: the NHS
     * number never goes into an address, where browser history, proxies and server logs would keep it.
     */
    @PostMapping("/staff/audit/patient")
    @AuditedAsSearch
    String patient(@RequestParam(defaultValue = "") String nhsNumber, HttpServletRequest request, Model model) {
        requireReviewer(request);
        String digits = nhsNumber.replace(" ", "");
        String problem = NhsNumber.problem(digits);
        Patient patient = problem == null ? patientWith(digits) : null;
        if (problem == null && patient == null) {
            problem = "No patient has the NHS number " + nhsNumber.strip();
        }
        if (problem != null) {
            model.addAttribute("errors", new FormErrors().add("nhsNumber", problem));
            model.addAttribute("nhsNumber", nhsNumber);
            return "security/audit-search";
        }
        return "redirect:/staff/audit/patients/" + patient.getIdElement().getIdPart();
    }

    /** An address from before the look-up was posted: back to the search, which asks for the number. */
    @GetMapping("/staff/audit/patient")
    String patientSearch(HttpServletRequest request) {
        requireReviewer(request);
        return "redirect:/staff/audit";
    }

    @GetMapping("/staff/audit/patients/{id}")
    String patientTrail(@PathVariable String id, @RequestParam(defaultValue = "1") int page,
                        HttpServletRequest request, Model model) {
        requireReviewer(request);
        Patient patient;
        try {
            // Information governance reviews access to any record, as the look-up by NHS number did.
            patient = repository.read("Patient", id).parse(Patient.class);
        } catch (org.charnwood.fhir.FhirException gone) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such patient");
        }
        int current = Math.max(1, page);
        RecordAccessHistory.GovernancePage found = history.toPatient(id, PAGE_SIZE, (current - 1) * PAGE_SIZE);
        String number = PatientDisplay.nhsNumber(patient);
        model.addAttribute("heading", "Access to the record of " + PatientDisplay.name(patient)
                + (number == null ? "" : ", NHS number " + number));
        model.addAttribute("rows", rows(found));
        model.addAttribute("byPerson", false);
        model.addAttribute("page", current);
        model.addAttribute("hasMore", found.hasMore());
        model.addAttribute("pageLink", "/staff/audit/patients/" + id + "?page=");
        events.publishEvent(new PatientDataShown(Set.of(id)));
        return "security/audit-trail";
    }

    @GetMapping("/staff/audit/staff")
    String staff(@RequestParam(defaultValue = "") String name, @RequestParam(required = false) String person,
                 @RequestParam(defaultValue = "1") int page, HttpServletRequest request, Model model) {
        requireReviewer(request);
        if (person == null) {
            List<Person> found = name.isBlank() ? List.of() : staffNamed(name.strip());
            if (found.size() != 1) {
                model.addAttribute("errors", name.isBlank()
                        ? new FormErrors().add("name", "Enter the member of staff's name")
                        : found.isEmpty() ? new FormErrors().add("name", "No member of staff is called " + name.strip())
                        : new FormErrors());
                model.addAttribute("name", name);
                model.addAttribute("people", found);
                return "security/audit-search";
            }
            person = found.get(0).reference();
        }
        // A Practitioner reference, or the id of an account with none: the two ways the trail names staff.
        if (!person.matches("(Practitioner/)?[A-Za-z0-9\\-.]{1,64}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Choose a member of staff from the list");
        }
        int current = Math.max(1, page);
        RecordAccessHistory.GovernancePage found = history.byPerson(person, PAGE_SIZE, (current - 1) * PAGE_SIZE);
        model.addAttribute("heading", "What " + staffName(person) + " did");
        model.addAttribute("rows", rows(found));
        model.addAttribute("byPerson", true);
        model.addAttribute("page", current);
        model.addAttribute("hasMore", found.hasMore());
        model.addAttribute("pageLink", "/staff/audit/staff?person=" + person + "&page=");
        Set<String> patients = new LinkedHashSet<>();
        found.entries().forEach(e -> patients.addAll(e.patients()));
        if (!patients.isEmpty()) {
            events.publishEvent(new PatientDataShown(patients));
        }
        return "security/audit-trail";
    }

    private List<Row> rows(RecordAccessHistory.GovernancePage found) {
        Map<String, String> names = new HashMap<>();
        return found.entries().stream().map(e -> {
            RecordAccess a = e.access();
            List<String> named = e.patients().stream().limit(5)
                    .map(p -> names.computeIfAbsent(p, this::patientName)).toList();
            String patients = String.join("; ", named) + (e.patients().size() > 5
                    ? " and " + (e.patients().size() - 5) + " more" : "");
            return new Row(WHEN.format(a.when().atZone(UK)), a.who(), a.role(), a.what(), patients, a.refused(),
                    a.failed(), a.emergency(), a.emergencyReason());
        }).toList();
    }

    /**
     * The person's record with the NHS number: not a provisional one made from a number someone typed (tagged
     * unverified, as a self-referral's is) nor one replaced by another (inactive), which may hold it too.
     */
    private Patient patientWith(String nhsNumber) {
        List<StoredResource> found = repository.search(new SearchRequest("Patient", Map.of(
                "identifier", List.of(NhsNumber.SYSTEM + "|" + nhsNumber), "_count", List.of("50")), false)).matches();
        return found.stream().filter(s -> !s.deleted()).map(s -> s.parse(Patient.class))
                .filter(ProvisionalRecords::confirmedAndActive).findFirst().orElse(null);
    }

    /**
     * Practitioners whose name matches, and the staff account with exactly that user name (which finds staff with
     * no Practitioner record, such as administrative staff), each once.
     */
    private List<Person> staffNamed(String name) {
        Map<String, Person> found = new java.util.LinkedHashMap<>();
        practitionersNamed(name).forEach(p -> found.put(p.reference(), p));
        accounts.byUsername(name).ifPresent(a -> found.putIfAbsent(a.auditName(),
                new Person(a.auditName(), a.displayName() + " (" + a.username() + ")")));
        return List.copyOf(found.values());
    }

    /** The name of a Practitioner, else of the staff account the trail names so. */
    private String staffName(String person) {
        if (person.startsWith("Practitioner/")) {
            return people.personName(person).orElse(person);
        }
        return accounts.byAuditName(person).map(a -> a.displayName() + " (" + a.username() + ")").orElse(person);
    }

    private List<Person> practitionersNamed(String name) {
        return repository.search(new SearchRequest("Practitioner", Map.of("name", List.of(name),
                        "_count", List.of("20")), false)).matches().stream().filter(s -> !s.deleted())
                .map(s -> new Person("Practitioner/" + s.id(), TrailNames.name(s.parse(Practitioner.class).getName())
                        .orElse("Practitioner/" + s.id())))
                .toList();
    }

    /** The patient's name; their id when the record is gone (the trail outlives what it names). */
    private String patientName(String id) {
        return people.patient(id).map(PatientDisplay::name).orElse("Patient " + id);
    }

    private void requireReviewer(HttpServletRequest request) {
        if (!requesters.current(request).permits(Activity.AUDIT_REVIEW)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "The audit trail is read by information governance officers");
        }
    }
}
