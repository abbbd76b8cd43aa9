package org.charnwood.app.rostering;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.time.LocalDate;

/**
 * The nurse manager's roster pages ({@code /staff/rosters}): choose a team, plan a 4 to 6 week period, read the
 * roster as a table with totals and the score explained, publish it (unfilled places go to the bank), and decide
 * staff leave and preference requests.
 */
@Controller
@StaffPages
class RosterPages {

    private final Rosters rosters;
    private final TeamRosterReader teams;
    private final StaffRequests requests;
    private final StaffNames names;
    private final RequesterSource requesters;
    private final RosteringSettings settings;
    private final Clock clock;

    RosterPages(Rosters rosters, TeamRosterReader teams, StaffRequests requests, StaffNames names,
                RequesterSource requesters, RosteringSettings settings, Clock clock) {
        this.names = names;
        this.rosters = rosters;
        this.teams = teams;
        this.requests = requests;
        this.requesters = requesters;
        this.settings = settings;
        this.clock = clock;
    }

    private Requester manager(HttpServletRequest request) {
        Requester requester = requesters.current(request);
        SignedInStaff.requireManager(requester);
        return requester;
    }

    @GetMapping("/staff/rosters")
    String index(HttpServletRequest request, Model model) {
        manager(request);
        model.addAttribute("teams", teams.teams());
        model.addAttribute("pending", requests.pending().size());
        return "rostering/index";
    }

    @GetMapping("/staff/rosters/{careTeamId}")
    String team(@PathVariable String careTeamId, HttpServletRequest request, Model model) {
        manager(request);
        return team(careTeamId, new RosterForm(), new FormErrors(), model);
    }

    private String team(String careTeamId, RosterForm form, FormErrors errors, Model model) {
        model.addAttribute("careTeamId", careTeamId);
        try {
            model.addAttribute("teamName", teams.teamName(careTeamId));
        } catch (FhirException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, BankShifts.message(e), e);
        }
        model.addAttribute("rosters", rosters.summaries(careTeamId));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("defaultSeconds", settings.searchTime().toSeconds());
        return "rostering/team";
    }

    @PostMapping("/staff/rosters/{careTeamId}")
    String plan(@PathVariable String careTeamId, @ModelAttribute("form") RosterForm form, HttpServletRequest request,
                HttpServletResponse response, Model model) {
        Requester requester = manager(request);
        FormErrors errors = new FormErrors();
        RosterForm.Valid valid = form.validate(LocalDate.ofInstant(clock.instant(), ShiftTimes.LONDON),
                settings.maxSearchTime(), errors);
        if (valid != null) {
            try {
                long id = rosters.plan(careTeamId, valid.firstDay(), valid.weeks(), valid.searchTime(),
                        SignedInStaff.actor(requester), clock.instant());
                return "redirect:/staff/rosters/" + careTeamId + "/" + id;
            } catch (FhirException e) {
                errors.add("firstDay", BankShifts.message(e));
            }
        }
        response.setStatus(422);
        return team(careTeamId, form, errors, model);
    }

    @GetMapping("/staff/rosters/{careTeamId}/{rosterId:\\d+}")
    String roster(@PathVariable String careTeamId, @PathVariable long rosterId, HttpServletRequest request,
                  Model model) {
        manager(request);
        try {
            model.addAttribute("roster", rosters.view(rosterId));
        } catch (FhirException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, BankShifts.message(e), e);
        }
        model.addAttribute("errors", new FormErrors());
        return "rostering/roster";
    }

    @PostMapping("/staff/rosters/{careTeamId}/{rosterId:\\d+}/publish")
    String publish(@PathVariable String careTeamId, @PathVariable long rosterId, HttpServletRequest request,
                   HttpServletResponse response, Model model, RedirectAttributes redirect) {
        Requester requester = manager(request);
        try {
            int vacancies = rosters.publish(rosterId, SignedInStaff.actor(requester), clock.instant());
            redirect.addFlashAttribute("confirmation", "Roster published. " + vacancies
                    + (vacancies == 1 ? " shift has" : " shifts have") + " been offered to the bank.");
            return "redirect:/staff/rosters/" + careTeamId + "/" + rosterId;
        } catch (FhirException e) {
            if (e.status() == 404) {
                // No such roster: nothing to show the refusal on.
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, BankShifts.message(e), e);
            }
            response.setStatus(e.status());
            model.addAttribute("roster", rosters.view(rosterId));
            model.addAttribute("errors", new FormErrors().add("publish", BankShifts.message(e)));
            return "rostering/roster";
        }
    }

    @GetMapping("/staff/rosters/requests")
    String pending(HttpServletRequest request, Model model) {
        manager(request);
        pendingRequests(model);
        model.addAttribute("errors", new FormErrors());
        return "rostering/requests";
    }

    @PostMapping("/staff/rosters/requests/{requestId}")
    String decide(@PathVariable long requestId, @RequestParam(required = false) String decision,
                  HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        Requester requester = manager(request);
        try {
            if (!"approve".equals(decision) && !"decline".equals(decision)) {
                throw BankShifts.refuse(422, org.charnwood.fhir.ErrorCode.STAFF_REQUEST_INVALID,
                        "Choose approve or decline.");
            }
            requests.decide(requestId, "approve".equals(decision), SignedInStaff.actor(requester), clock.instant());
            redirect.addFlashAttribute("confirmation", "Request " + requestId + " "
                    + ("approve".equals(decision) ? "approved" : "declined") + ".");
            return "redirect:/staff/rosters/requests";
        } catch (FhirException e) {
            response.setStatus(e.status());
            pendingRequests(model);
            model.addAttribute("errors", new FormErrors().add("request-" + requestId, BankShifts.message(e)));
            return "rostering/requests";
        }
    }

    private void pendingRequests(Model model) {
        var pending = requests.pending();
        model.addAttribute("requests", pending);
        model.addAttribute("names", names.of(pending.stream().map(StaffRequest::practitionerId).toList()));
    }
}
