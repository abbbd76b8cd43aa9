package org.charnwood.app.rostering;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The shift app ({@code /shifts}), mobile first: bank staff see the vacant shifts they are qualified for, book and
 * cancel them; every member of staff sees their own shifts and asks for leave or shift preferences. A refused
 * booking or cancellation shows the page again with the NHS.UK error summary saying which rule stopped it, with
 * the refusal's HTTP status (409 taken or clashing, 422 not qualified or rest rules, 403 not on the bank).
 */
@Controller
@StaffPages
class ShiftPages {

    private final BankShifts bank;
    private final StaffRequests requests;
    private final RequesterSource requesters;
    private final Clock clock;

    ShiftPages(BankShifts bank, StaffRequests requests, RequesterSource requesters, Clock clock) {
        this.bank = bank;
        this.requests = requests;
        this.requesters = requesters;
        this.clock = clock;
    }

    @GetMapping("/shifts")
    String home(HttpServletRequest request, Model model) {
        return home(SignedInStaff.practitionerId(requesters.current(request)), new FormErrors(), model);
    }

    private String home(String practitionerId, FormErrors errors, Model model) {
        Instant now = clock.instant();
        model.addAttribute("bankStaff", bank.isBankStaff(practitionerId));
        model.addAttribute("vacancies", bank.vacanciesFor(practitionerId, now));
        model.addAttribute("mine", bank.shiftsOf(practitionerId, now).stream()
                .map(s -> new MyShift(s, bank.cancellable(s, now))).toList());
        model.addAttribute("requests", requests.of(practitionerId));
        model.addAttribute("notice", BankShifts.hours(bank.cancelNotice()));
        model.addAttribute("errors", errors);
        return "shifts/home";
    }

    /** One of the person's shifts, and whether the notice policy still lets them cancel it. */
    record MyShift(Shift shift, boolean cancellable) {
    }

    @PostMapping("/shifts/{shiftId}/book")
    String book(@PathVariable long shiftId, HttpServletRequest request, HttpServletResponse response, Model model,
                RedirectAttributes redirect) {
        Requester requester = requesters.current(request);
        String practitionerId = SignedInStaff.practitionerId(requester);
        try {
            Shift booked = bank.book(practitionerId, shiftId, clock.instant());
            redirect.addFlashAttribute("confirmation", "You are booked on the " + booked.kindLabel().toLowerCase()
                    + " shift on " + booked.dayText() + " (" + booked.hoursText() + "), " + booked.unit() + ".");
            return "redirect:/shifts";
        } catch (FhirException e) {
            response.setStatus(e.status());
            return home(practitionerId, new FormErrors().add("shift-" + shiftId, BankShifts.message(e)), model);
        }
    }

    @PostMapping("/shifts/{shiftId}/cancel")
    String cancel(@PathVariable long shiftId, HttpServletRequest request, HttpServletResponse response, Model model,
                  RedirectAttributes redirect) {
        Requester requester = requesters.current(request);
        String practitionerId = SignedInStaff.practitionerId(requester);
        try {
            bank.cancel(practitionerId, shiftId, clock.instant());
            redirect.addFlashAttribute("confirmation", "Your booking is cancelled; the shift is back on the bank.");
            return "redirect:/shifts";
        } catch (FhirException e) {
            response.setStatus(e.status());
            return home(practitionerId, new FormErrors().add("mine-" + shiftId, BankShifts.message(e)), model);
        }
    }

    @GetMapping("/shifts/requests/new")
    String requestForm(HttpServletRequest request, Model model) {
        SignedInStaff.practitionerId(requesters.current(request));
        model.addAttribute("form", new StaffRequestForm());
        model.addAttribute("errors", new FormErrors());
        return "shifts/request-form";
    }

    @PostMapping("/shifts/requests")
    String makeRequest(@ModelAttribute("form") StaffRequestForm form, HttpServletRequest request,
                       HttpServletResponse response, Model model, RedirectAttributes redirect) {
        Requester requester = requesters.current(request);
        String practitionerId = SignedInStaff.practitionerId(requester);
        FormErrors errors = new FormErrors();
        StaffRequestForm.Valid valid = form.validate(LocalDate.ofInstant(clock.instant(), ShiftTimes.LONDON), errors);
        if (valid == null) {
            response.setStatus(422);
            model.addAttribute("errors", errors);
            return "shifts/request-form";
        }
        long id = requests.request(practitionerId, valid.kind(), valid.first(), valid.last(), valid.shiftKind(),
                valid.note(), clock.instant());
        redirect.addFlashAttribute("confirmation", "Your request has been sent to your manager (reference " + id + ").");
        return "redirect:/shifts";
    }
}
