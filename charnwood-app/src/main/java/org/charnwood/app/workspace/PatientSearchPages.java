package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.audit.AuditedAsSearch;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.PatientDisplay;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.identity.NhsNumber;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * Find a patient: by NHS number, by name and date of birth, or by postcode. The search is posted, not put in the
 * address: an NHS number or a name and date of birth in a URL would stay in the browser's history and in the
 * access log of any proxy in front of the server. Only roles that may see demographics can search; the others
 * are told so rather than shown an empty result, which would read as "no such patient".
 */
@Controller
@StaffPages
class PatientSearchPages {

    /** One row of the results list. */
    record Found(String id, String name, String nhsNumber, String birthDate, String address) {
    }

    private final ClinicalRecord record;
    private final RequesterSource requesters;

    PatientSearchPages(ClinicalRecord record, RequesterSource requesters) {
        this.record = record;
        this.requesters = requesters;
    }

    /** Where a member of staff starts: finding a patient, or for information governance the audit trail. */
    @GetMapping("/staff")
    String home(HttpServletRequest request) {
        Requester requester = requesters.current(request);
        if (!requester.permits(Activity.VIEW_DEMOGRAPHICS) && requester.permits(Activity.AUDIT_REVIEW)) {
            return "redirect:/staff/audit";
        }
        return "redirect:/staff/patients";
    }

    @GetMapping("/staff/patients")
    String form(HttpServletRequest request, HttpServletResponse response, Model model) {
        return find(null, null, null, null, null, null, null, request, response, model);
    }

    @PostMapping("/staff/patients")
    @AuditedAsSearch
    String find(@RequestParam(required = false) String by,
                @RequestParam(required = false) String nhsNumber,
                @RequestParam(required = false) String name,
                @RequestParam(name = "birth-day", required = false) String day,
                @RequestParam(name = "birth-month", required = false) String month,
                @RequestParam(name = "birth-year", required = false) String year,
                @RequestParam(required = false) String postcode,
                HttpServletRequest request, HttpServletResponse response, Model model) {
        Requester requester = requesters.current(request);
        if (!requester.permits(Activity.VIEW_DEMOGRAPHICS)) {
            // Searching would find nothing the role may see: say why, instead of "no patients match".
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("reviewsAudit", requester.permits(Activity.AUDIT_REVIEW));
            return "workspace/find-patient-not-permitted";
        }
        // The results name patients: like the record pages, they are not kept by the browser or a proxy.
        response.setHeader("Cache-Control", "no-store");
        FormErrors errors = new FormErrors();
        List<Found> results = null;
        if ("nhs-number".equals(by)) {
            String digits = nhsNumber == null ? "" : nhsNumber.replace(" ", "");
            String problem = digits.isEmpty() ? "Enter an NHS number" : NhsNumber.problem(digits);
            if (problem != null) {
                errors.add("nhsNumber", problem.startsWith("Enter") ? problem
                        : "Enter a valid NHS number. " + problem);
            } else {
                results = found(record.search("Patient", Patient.class,
                        "identifier", NhsNumber.SYSTEM + "|" + digits, "_count", "50"));
            }
        } else if ("name".equals(by)) {
            if (name == null || name.isBlank()) {
                errors.add("name", "Enter the patient's name");
            }
            LocalDate born = birthDate(day, month, year, errors);
            if (errors.isEmpty()) {
                results = found(record.search("Patient", Patient.class, "name", name.trim(),
                        "birthdate", born.toString(), "_count", "50"));
            }
        } else if ("postcode".equals(by)) {
            String normalised = postcode == null ? "" : postcode.replaceAll("\\s+", "").toUpperCase(Locale.UK);
            if (normalised.isEmpty()) {
                errors.add("postcode", "Enter a postcode");
            } else if (!normalised.matches("[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")) {
                errors.add("postcode", "Enter a full UK postcode, like LE1 5WW");
            } else {
                String spaced = normalised.substring(0, normalised.length() - 3) + " "
                        + normalised.substring(normalised.length() - 3);
                results = found(record.search("Patient", Patient.class, "address-postalcode", spaced,
                        "_count", "100"));
            }
        } else if ("POST".equals(request.getMethod())) {
            // Each of the page's forms says how it searches; a post that does not was not made from them.
            throw new org.springframework.web.server.ResponseStatusException(
                    org.springframework.http.HttpStatus.BAD_REQUEST, "Choose how to find the patient");
        }
        model.addAttribute("by", by);
        model.addAttribute("errors", errors);
        model.addAttribute("nhsNumber", nhsNumber);
        model.addAttribute("name", name);
        model.addAttribute("day", day);
        model.addAttribute("month", month);
        model.addAttribute("year", year);
        model.addAttribute("postcode", postcode);
        model.addAttribute("results", results);
        return "workspace/find-patient";
    }

    private static LocalDate birthDate(String day, String month, String year, FormErrors errors) {
        if (blank(day) && blank(month) && blank(year)) {
            errors.add("birth-day", "Enter the patient's date of birth");
            return null;
        }
        if (blank(day) || blank(month) || blank(year)) {
            errors.add(blank(day) ? "birth-day" : blank(month) ? "birth-month" : "birth-year",
                    "Date of birth must include a day, month and year");
            return null;
        }
        try {
            int y = Integer.parseInt(year.trim());
            if (year.trim().length() != 4) {
                errors.add("birth-year", "Year must include 4 numbers");
                return null;
            }
            LocalDate date = LocalDate.of(y, Integer.parseInt(month.trim()), Integer.parseInt(day.trim()));
            if (date.isAfter(LocalDate.now(Text.UK))) {
                errors.add("birth-day", "Date of birth must be in the past");
                return null;
            }
            return date;
        } catch (NumberFormatException | DateTimeException e) {
            errors.add("birth-day", "Date of birth must be a real date");
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static List<Found> found(List<Patient> patients) {
        return patients.stream().map(p -> new Found(p.getIdElement().getIdPart(), Text.name(p),
                java.util.Objects.requireNonNullElse(PatientDisplay.nhsNumber(p), "Not recorded"),
                p.hasBirthDateElement() && p.getBirthDateElement().getValueAsString().length() == 10
                        ? Text.date(LocalDate.parse(p.getBirthDateElement().getValueAsString())) : "Not recorded",
                p.hasAddress() ? Text.address(p.getAddressFirstRep()) : "")).toList();
    }
}
