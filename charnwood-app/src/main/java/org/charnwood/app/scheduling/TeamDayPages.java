package org.charnwood.app.scheduling;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.RequestAimedAt;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.VisitProblem;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A district-nursing team's day: plan it (in the background, the page saying "planning" until it is ready),
 * see each nurse's route as a timeline and a table, the visits left out and why, the score explained, publish it
 * as Appointments, and during the day add an urgent visit and replan around the visits already done. Members of the
 * team see it; those who lead it plan and publish ({@link TeamAccess}).
 */
@Controller
@StaffPages
class TeamDayPages {

    /** What an urgent visit may be for: each maps to a visit length and skill (see {@code TeamDayReader.VisitKind}). */
    static final List<String> URGENT_NEEDS = List.of("Blocked catheter: catheter change",
            "Syringe driver review: symptoms not controlled", "Wound dressing: bleeding or soaked through",
            "Insulin injection: missed dose", "Venepuncture: urgent bloods", "Assessment after a fall");

    private final FhirRepository repository;
    private final RequesterSource requesters;
    private final TeamAccess access;
    private final TeamDayPlans plans;
    private final TeamDayViews views;
    private final VisitPatients patients;
    private final DistrictNursingScheduler scheduler;
    private final SchedulingSettings settings;
    private final TeamDayPatients dayPatients;
    private final Clock clock;

    TeamDayPages(FhirRepository repository, RequesterSource requesters, TeamAccess access, TeamDayPlans plans,
                 TeamDayViews views, VisitPatients patients, DistrictNursingScheduler scheduler,
                 SchedulingSettings settings, TeamDayPatients dayPatients, Clock clock) {
        this.repository = repository;
        this.requesters = requesters;
        this.access = access;
        this.plans = plans;
        this.views = views;
        this.patients = patients;
        this.scheduler = scheduler;
        this.settings = settings;
        this.dayPatients = dayPatients;
        this.clock = clock;
    }

    @GetMapping("/staff/teams/{careTeamId}/day")
    String day(@PathVariable String careTeamId,
               @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
               HttpServletRequest request, Model model) {
        Requester requester = requesters.current(request);
        LocalDate day = date == null ? today() : date;
        concerning(request, careTeamId, day);
        CareTeam team = team(careTeamId);
        TeamAccess.Membership membership = member(requester, team);
        page(model, team, careTeamId, day, membership);
        Optional<TeamDayPlans.TeamDay> current = plans.day(careTeamId, day);
        String stage = current.map(d -> d.stage().name().toLowerCase()).orElse("none");
        model.addAttribute("stage", stage);
        current.ifPresent(d -> {
            model.addAttribute("teamDay", d);
            model.addAttribute("startedAt", d.started().atZone(TeamDayReader.LONDON).toLocalTime()
                    .withNano(0).toString());
        });
        try {
            if (current.isPresent() && current.get().stage() == TeamDayPlans.Stage.READY) {
                TeamDayPlans.TeamDay ready = current.get();
                model.addAttribute("view", views.view(requester, careTeamId, ready.problem(), ready.plan(),
                        ready.previous(), true));
                model.addAttribute("published", ready.published() != null);
            } else {
                Optional<DayPlan> published = scheduler.published(careTeamId, day);
                if (published.isPresent()) {
                    VisitProblem problem = scheduler.problem(careTeamId, day);
                    model.addAttribute("view", views.view(requester, careTeamId, problem, published.get(), null,
                            false));
                    model.addAttribute("published", true);
                }
            }
        } catch (FhirException e) {
            model.addAttribute("problem", PlanningFailures.shown(careTeamId, day, e));
        }
        if (membership.mayPlan()) {
            model.addAttribute("urgentPatients", caseload(requester, careTeamId));
            model.addAttribute("urgentNeeds", URGENT_NEEDS);
            if (!model.containsAttribute("errors")) {
                model.addAttribute("errors", new FormErrors());
            }
        }
        return "scheduling/team-day";
    }

    @PostMapping("/staff/teams/{careTeamId}/day/plan")
    String plan(@PathVariable String careTeamId,
                @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                HttpServletRequest request, RedirectAttributes redirect) {
        teamLeader(request, careTeamId, date);
        if (!plans.plan(careTeamId, date)) {
            redirect.addFlashAttribute("notice", "The day is already being planned.");
        }
        return back(careTeamId, date);
    }

    @PostMapping("/staff/teams/{careTeamId}/day/replan")
    String replan(@PathVariable String careTeamId,
                  @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                  HttpServletRequest request, RedirectAttributes redirect) {
        teamLeader(request, careTeamId, date);
        if (!plans.replan(careTeamId, date, now(date), null)) {
            redirect.addFlashAttribute("notice", "The day is already being planned.");
        }
        return back(careTeamId, date);
    }

    @PostMapping("/staff/teams/{careTeamId}/day/publish")
    String publish(@PathVariable String careTeamId,
                   @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                   HttpServletRequest request, RedirectAttributes redirect) {
        teamLeader(request, careTeamId, date);
        List<String> ids = plans.publish(careTeamId, date);
        redirect.addFlashAttribute("notice", ids.isEmpty() ? "There is no plan ready to publish."
                : "Published: " + ids.size() + " visits booked. Publishing again replaces these bookings.");
        return back(careTeamId, date);
    }

    @PostMapping("/staff/teams/{careTeamId}/day/urgent")
    String urgent(@PathVariable String careTeamId,
                  @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                  @RequestParam(required = false) String patientId, @RequestParam(required = false) String need,
                  HttpServletRequest request, Model model, RedirectAttributes redirect) {
        Requester requester = teamLeader(request, careTeamId, date);
        FormErrors errors = new FormErrors();
        Set<String> caseload = caseload(requester, careTeamId).stream().map(VisitPatients.PatientCard::id)
                .collect(java.util.stream.Collectors.toSet());
        if (patientId == null || patientId.isBlank() || !caseload.contains(patientId)) {
            errors.add("patientId", "Select the patient who needs an urgent visit");
        }
        if (need == null || !URGENT_NEEDS.contains(need)) {
            errors.add("need", "Select what the urgent visit is for");
        }
        if (!errors.isEmpty()) {
            // The day is shown again with the form's problems (422), not redirected to as if it had been saved.
            model.addAttribute("errors", errors);
            return day(careTeamId, date, request, model);
        }
        ZonedDateTime now = date.equals(today()) ? clock.instant().atZone(TeamDayReader.LONDON)
                : date.atTime(LocalTime.of(9, 0)).atZone(TeamDayReader.LONDON);
        String requestId = scheduler.requestUrgentVisit(careTeamId, patientId, need, requester.fhirUser(), now);
        if (!plans.replan(careTeamId, date, now.toLocalTime(), requestId)) {
            redirect.addFlashAttribute("notice", "The urgent visit is recorded; the day is already being planned, "
                    + "so replan once that plan is ready.");
        }
        return back(careTeamId, date);
    }

    @GetMapping("/staff/teams/{careTeamId}/day/nurses/{staffId}")
    String nurse(@PathVariable String careTeamId, @PathVariable String staffId,
                 @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                 HttpServletRequest request, Model model) {
        Requester requester = requesters.current(request);
        LocalDate day = date == null ? today() : date;
        concerning(request, careTeamId, day);
        CareTeam team = team(careTeamId);
        TeamAccess.Membership membership = member(requester, team);
        page(model, team, careTeamId, day, membership);
        Optional<TeamDayPlans.TeamDay> current = plans.day(careTeamId, day)
                .filter(d -> d.stage() == TeamDayPlans.Stage.READY);
        TeamDayView view;
        if (current.isPresent()) {
            view = views.view(requester, careTeamId, current.get().problem(), current.get().plan(),
                    current.get().previous(), true);
            model.addAttribute("published", current.get().published() != null);
        } else {
            DayPlan published = scheduler.published(careTeamId, day).orElseThrow(() ->
                    new ResponseStatusException(HttpStatus.NOT_FOUND, "No plan for the team's day"));
            view = views.view(requester, careTeamId, scheduler.problem(careTeamId, day), published, null, false);
            model.addAttribute("published", true);
        }
        TeamDayView.NurseDay nurse = view.nurses().stream().filter(n -> n.staffId().equals(staffId)).findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Not on the team's day"));
        TeamDayView.NurseDay placed = new TeamDayView.NurseDay(nurse.staffId(), nurse.name(), nurse.grade(),
                TeamDayView.HEADER, nurse.stops(), nurse.bars(), nurse.travelMinutes(), nurse.backAtBase(),
                nurse.summary());
        model.addAttribute("nurse", placed);
        model.addAttribute("view", view);
        model.addAttribute("nurses", List.of(placed));
        model.addAttribute("timelineHeight", TeamDayView.HEADER + TeamDayView.ROW + 4);
        return "scheduling/nurse-day";
    }

    private void page(Model model, CareTeam team, String careTeamId, LocalDate day,
                      TeamAccess.Membership membership) {
        model.addAttribute("teamId", careTeamId);
        model.addAttribute("teamName", team.hasName() ? team.getName() : careTeamId);
        model.addAttribute("date", day);
        model.addAttribute("today", today());
        model.addAttribute("mayPlan", membership.mayPlan());
        model.addAttribute("planSeconds", settings.planTime().toSeconds());
    }

    /** The team's patients with an active request for the team: whom an urgent visit can be for. */
    private List<VisitPatients.PatientCard> caseload(Requester requester, String careTeamId) {
        SearchRequest search = new SearchRequest("ServiceRequest", Map.of("performer", List.of("CareTeam/" + careTeamId),
                "status", List.of("active"), "_count", List.of("1000")), false);
        Set<String> ids = new LinkedHashSet<>();
        for (StoredResource stored : repository.search(search).matches()) {
            if (!stored.deleted()) {
                ids.add(stored.parse(ServiceRequest.class).getSubject().getReferenceElement().getIdPart());
            }
        }
        return patients.cards(requester, ids, false).values().stream().filter(VisitPatients.PatientCard::shown)
                .sorted(Comparator.comparing(VisitPatients.PatientCard::name)).toList();
    }

    private CareTeam team(String careTeamId) {
        try {
            StoredResource stored = repository.read("CareTeam", careTeamId);
            if (stored == null || stored.deleted()) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such team");
            }
            return stored.parse(CareTeam.class);
        } catch (FhirException e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No such team");
        }
    }

    /**
     * A request about the team's day that is refused or fails concerns the patients of the day (a draft ready to
     * publish, the visits published): its audit record names every one of them, as a search's names all it found.
     * Worked out only then.
     */
    private void concerning(HttpServletRequest request, String careTeamId, LocalDate date) {
        RequestAimedAt.concerning(request, () -> dayPatients.of(careTeamId, date));
    }

    private TeamAccess.Membership member(Requester requester, CareTeam team) {
        TeamAccess.Membership membership = access.of(requester, team);
        if (!membership.member()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only members of the team see its day");
        }
        return membership;
    }

    /**
     * The signed-in person, when they may plan and publish the team's day; 403 otherwise, the refusal's audit
     * record naming the day's patients.
     */
    private Requester teamLeader(HttpServletRequest request, String careTeamId, LocalDate date) {
        concerning(request, careTeamId, date);
        Requester requester = requesters.current(request);
        if (!access.of(requester, team(careTeamId)).mayPlan()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "Only the team's district nurses and nurse managers plan and publish its day");
        }
        return requester;
    }

    private LocalDate today() {
        return clock.instant().atZone(TeamDayReader.LONDON).toLocalDate();
    }

    /** When a replan starts from: now for today, the start of the day for a day to come. */
    private LocalTime now(LocalDate date) {
        if (date.equals(today())) {
            return clock.instant().atZone(TeamDayReader.LONDON).toLocalTime();
        }
        return date.isAfter(today()) ? LocalTime.MIN : LocalTime.of(23, 59);
    }

    private static String back(String careTeamId, LocalDate date) {
        return "redirect:/staff/teams/" + careTeamId + "/day?date=" + date;
    }
}
