package org.charnwood.app.scheduling;

import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.VisitProblem;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Each team's plan for a day while it is being made and until it is published: planning runs in the background on
 * one solver thread (it keeps a core busy for the time it is given, so two teams planning at once take turns), and
 * the page that started it shows "planning" until it is ready. A plan is held in memory only: what counts once
 * published is the Appointments in the store, and after a restart the team's day is read back from them.
 */
@Component
class TeamDayPlans implements DisposableBean {

    /** Where a team's plan for a day stands. */
    enum Stage { PLANNING, READY, FAILED }

    /**
     * A team's plan for a day.
     *
     * @param previous    for a replan, the plan it revises (to show what moved); null for a fresh plan
     * @param urgentVisit the ServiceRequest id of the urgent visit the replan was for, or null
     * @param published   when the plan was published, or null while it is a draft
     */
    record TeamDay(String careTeamId, LocalDate date, Stage stage, Instant started, VisitProblem problem,
                   DayPlan plan, DayPlan previous, String urgentVisit, String failure, Instant published) {

        TeamDay ready(VisitProblem solvedProblem, DayPlan solved) {
            return new TeamDay(careTeamId, date, Stage.READY, started, solvedProblem, solved, previous, urgentVisit,
                    null, null);
        }

        TeamDay failed(String why) {
            return new TeamDay(careTeamId, date, Stage.FAILED, started, problem, null, previous, urgentVisit, why,
                    null);
        }

        TeamDay publishedAt(Instant at) {
            return new TeamDay(careTeamId, date, stage, started, problem, plan, previous, urgentVisit, failure, at);
        }
    }

    private final DistrictNursingScheduler scheduler;
    private final SchedulingSettings settings;
    private final Clock clock;
    private final Map<String, TeamDay> days = new ConcurrentHashMap<>();
    private final ExecutorService solver = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "team-day-planner");
        thread.setDaemon(true);
        return thread;
    });

    TeamDayPlans(DistrictNursingScheduler scheduler, SchedulingSettings settings, Clock clock) {
        this.scheduler = scheduler;
        this.settings = settings;
        this.clock = clock;
    }

    Optional<TeamDay> day(String careTeamId, LocalDate date) {
        return Optional.ofNullable(days.get(key(careTeamId, date)));
    }

    /** Starts planning the day from scratch; false if the team's day is already being planned. */
    boolean plan(String careTeamId, LocalDate date) {
        return start(careTeamId, date, null, null, null);
    }

    /**
     * Starts replanning the day from the current plan (the draft, else the published day) with visits done or under
     * way kept where they are; false if the team's day is already being planned.
     */
    boolean replan(String careTeamId, LocalDate date, LocalTime now, String urgentVisit) {
        TeamDay current = days.get(key(careTeamId, date));
        DayPlan previous = current != null && current.stage() == Stage.READY ? current.plan()
                : scheduler.published(careTeamId, date).orElse(null);
        return start(careTeamId, date, previous, now, urgentVisit);
    }

    private boolean start(String careTeamId, LocalDate date, DayPlan previous, LocalTime now, String urgentVisit) {
        String key = key(careTeamId, date);
        TeamDay planning = new TeamDay(careTeamId, date, Stage.PLANNING, clock.instant(), null, null, previous,
                urgentVisit, null, null);
        TeamDay before = days.get(key);
        if (before != null && before.stage() == Stage.PLANNING) {
            return false;
        }
        boolean replaced = before == null ? days.putIfAbsent(key, planning) == null
                : days.replace(key, before, planning);
        if (!replaced) {
            return false;
        }
        forgetPastDays();
        solver.execute(() -> {
            try {
                VisitProblem problem = scheduler.problem(careTeamId, date);
                DayPlan plan = now == null
                        ? scheduler.plan(problem, settings.planLimits())
                        : scheduler.replan(problem, careTeamId, previous, now,
                        settings.replanLimits());
                days.put(key, planning.ready(problem, plan));
            } catch (RuntimeException e) {
                days.put(key, planning.failed(PlanningFailures.shown(careTeamId, date, e)));
            }
        });
        return true;
    }

    /**
     * Publishes the team's ready plan for the day, replacing what was published before (see
     * {@link PlannedAppointments}); returns the Appointment ids, or an empty list if there is no ready plan.
     */
    synchronized List<String> publish(String careTeamId, LocalDate date) {
        String key = key(careTeamId, date);
        TeamDay day = days.get(key);
        if (day == null || day.stage() != Stage.READY) {
            return List.of();
        }
        List<String> ids = scheduler.publish(careTeamId, day.plan());
        days.put(key, day.publishedAt(clock.instant()));
        return ids;
    }

    /** Forgets every plan in memory (for tests, whose database is emptied between them). */
    void forgetAll() {
        days.clear();
    }

    private void forgetPastDays() {
        LocalDate today = clock.instant().atZone(TeamDayReader.LONDON).toLocalDate();
        days.values().removeIf(d -> d.date().isBefore(today.minusDays(7)));
    }

    private static String key(String careTeamId, LocalDate date) {
        return careTeamId + "/" + date;
    }

    @Override
    public void destroy() {
        solver.shutdownNow();
    }
}
