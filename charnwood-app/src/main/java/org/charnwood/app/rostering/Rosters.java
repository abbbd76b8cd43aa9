package org.charnwood.app.rostering;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.scheduling.ScoreReport;
import org.charnwood.scheduling.roster.Leave;
import org.charnwood.scheduling.roster.RosterPlan;
import org.charnwood.scheduling.roster.RosterPlanner;
import org.charnwood.scheduling.roster.RosterProblem;
import org.charnwood.scheduling.roster.RosteredShift;
import org.charnwood.scheduling.roster.ShiftKind;
import org.charnwood.scheduling.roster.StaffTotals;
import org.charnwood.scheduling.roster.VacantShift;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans, shows and publishes team rosters. Planning runs the scheduling library's {@link RosterPlanner} on the
 * problem {@link TeamRosterReader} builds and keeps the answer as a draft (places in {@code rostering.shift} with
 * status DRAFT, the score and totals as JSON beside the roster). Publishing turns the draft's places into
 * ROSTERED shifts and its unfilled places into VACANT shifts that bank staff can book, in one transaction.
 */
@Service
public class Rosters {

    /** What is kept of a plan beyond its places: the score explained, the totals, names and leave. */
    record PlanRecord(ScoreReport score, List<StaffTotals> totals, List<Person> people, List<Leave> leave) {
    }

    record Person(String practitionerId, String name) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RosterPlanner planner = new RosterPlanner();
    private final TeamRosterReader reader;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ShiftEvents events;
    private final RosteringSettings settings;

    Rosters(TeamRosterReader reader, JdbcTemplate jdbc, TransactionTemplate tx, ShiftEvents events,
            RosteringSettings settings) {
        this.reader = reader;
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.settings = settings;
    }

    /** A roster already planned, for the index page. */
    public record Summary(long id, String careTeamId, String unit, LocalDate firstDay, int days, String status,
                          String score) {
    }

    public List<Summary> summaries(String careTeamId) {
        return jdbc.query("select id, care_team_id, unit_name, first_day, days, status, score from rostering.roster "
                        + "where care_team_id = ? order by first_day desc, id desc", (rs, n) -> new Summary(
                        rs.getLong("id"), rs.getString("care_team_id"), rs.getString("unit_name"),
                        rs.getObject("first_day", LocalDate.class), rs.getInt("days"), rs.getString("status"),
                        rs.getString("score")), careTeamId);
    }

    /**
     * Plans a team's period of {@code weeks} weeks from {@code firstDay}, searching for at most {@code searchTime}
     * (capped by the settings), and keeps it as a draft; answers the roster's id.
     */
    public long plan(String careTeamId, LocalDate firstDay, int weeks, Duration searchTime, String plannedBy,
                     Instant now) {
        if (weeks < 1 || weeks > 6) {
            throw BankShifts.refuse(422, ErrorCode.ROSTER_PERIOD_INVALID, "A roster covers 1 to 6 weeks.");
        }
        Duration limit = searchTime == null ? settings.searchTime()
                : searchTime.compareTo(settings.maxSearchTime()) > 0 ? settings.maxSearchTime() : searchTime;
        RosterProblem problem = reader.read(careTeamId, firstDay, weeks * 7);
        Duration unimproved = settings.unimprovedTime().compareTo(limit) < 0 ? settings.unimprovedTime() : null;
        RosterPlan plan = settings.moves() == null ? planner.plan(problem, limit, unimproved)
                : planner.plan(problem, settings.moves());
        List<Person> people = problem.staff().stream().map(s -> new Person(s.id(), s.name())).toList();
        String report = JSON.writeValueAsString(new PlanRecord(plan.score(), plan.totals(), people, problem.leave()));
        return tx.execute(status -> {
            Long id = jdbc.queryForObject("""
                    insert into rostering.roster (care_team_id, unit_name, first_day, days, planned_at, planned_by,
                      score, feasible, report, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT') returning id""",
                    Long.class, careTeamId, problem.unit(), firstDay, problem.days(), Timestamp.from(now), plannedBy,
                    plan.score().score(), plan.feasible(), report);
            List<Object[]> rows = new ArrayList<>();
            for (RosteredShift s : plan.shifts()) {
                rows.add(place(id, careTeamId, problem.unit(), s.date(), s.kind(), s.senior(), s.staffId()));
            }
            for (VacantShift v : plan.vacancies()) {
                rows.add(place(id, careTeamId, problem.unit(), v.date(), v.kind(), v.seniorRequired(), null));
            }
            jdbc.batchUpdate("""
                    insert into rostering.shift (roster_id, care_team_id, unit_name, shift_date, kind, starts_at, ends_at,
                      senior_required, practitioner_id, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT')""", rows);
            events.roster("roster-planned", id, plannedBy, now, plan.score().score());
            return id;
        });
    }

    private static Object[] place(long rosterId, String careTeamId, String unit, LocalDate date, ShiftKind kind,
                                  boolean senior, String practitionerId) {
        return new Object[] {rosterId, careTeamId, unit, date, kind.name(),
                Timestamp.from(ShiftTimes.start(date, kind)), Timestamp.from(ShiftTimes.end(date, kind)), senior,
                practitionerId};
    }

    /** Publishes a draft: its places become rostered shifts, its vacancies bank shifts. Answers the vacancies. */
    public int publish(long rosterId, String publishedBy, Instant now) {
        return tx.execute(status -> {
            List<Map<String, Object>> found = jdbc.queryForList("select care_team_id, first_day, days, status from "
                    + "rostering.roster where id = ? for update", rosterId);
            if (found.isEmpty()) {
                throw BankShifts.refuse(404, ErrorCode.ROSTER_NOT_FOUND, "There is no such roster.");
            }
            Map<String, Object> roster = found.get(0);
            if (!"DRAFT".equals(roster.get("status"))) {
                throw BankShifts.refuse(409, ErrorCode.ROSTER_ALREADY_PUBLISHED, "This roster has already been "
                        + "published.");
            }
            String team = (String) roster.get("care_team_id");
            // Serialise publications per team, so two managers cannot publish overlapping periods at once.
            jdbc.query("select pg_advisory_xact_lock(hashtext('rostering:' || ?))", rs -> { }, team);
            LocalDate first = ((java.sql.Date) roster.get("first_day")).toLocalDate();
            int days = (Integer) roster.get("days");
            Integer overlapping = jdbc.queryForObject("""
                    select count(*) from rostering.roster where care_team_id = ? and status = 'PUBLISHED'
                      and first_day < ? and first_day + days > ?""", Integer.class, team, first.plusDays(days), first);
            if (overlapping != null && overlapping > 0) {
                throw BankShifts.refuse(409, ErrorCode.ROSTER_OVERLAPS_PUBLISHED, "A roster for this team is already "
                        + "published for part of this period.");
            }
            try {
                jdbc.update("update rostering.shift set status = case when practitioner_id is null then 'VACANT' "
                        + "else 'ROSTERED' end where roster_id = ?", rosterId);
            } catch (DuplicateKeyException e) {
                throw BankShifts.refuse(409, ErrorCode.SHIFT_DOUBLE_BOOKED, "Someone on this roster has since booked "
                        + "a bank shift starting at the same time as one of theirs: plan the roster again.");
            }
            jdbc.update("update rostering.roster set status = 'PUBLISHED', published_at = ? where id = ?",
                    Timestamp.from(now), rosterId);
            Integer vacancies = jdbc.queryForObject("select count(*) from rostering.shift where roster_id = ? and "
                    + "status = 'VACANT'", Integer.class, rosterId);
            events.roster("roster-published", rosterId, publishedBy, now, vacancies + " places to the bank");
            return vacancies;
        });
    }

    public RosterView view(long rosterId) {
        List<Map<String, Object>> found = jdbc.queryForList("select * from rostering.roster where id = ?", rosterId);
        if (found.isEmpty()) {
            throw BankShifts.refuse(404, ErrorCode.ROSTER_NOT_FOUND, "There is no such roster.");
        }
        Map<String, Object> r = found.get(0);
        PlanRecord record = JSON.readValue((String) r.get("report"), PlanRecord.class);
        LocalDate first = ((java.sql.Date) r.get("first_day")).toLocalDate();
        int days = (Integer) r.get("days");
        List<LocalDate> dates = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            dates.add(first.plusDays(i));
        }
        // The places as they stand now: after publication, bank bookings show as vacancies filled.
        List<Shift> places = jdbc.query("select " + BankShifts.COLUMNS + " from rostering.shift where roster_id = ?",
                BankShifts.SHIFT, rosterId);
        Map<String, ShiftKind> worked = new HashMap<>();
        int[] vacant = new int[days];
        int vacancies = 0;
        for (Shift place : places) {
            int day = (int) (place.date().toEpochDay() - first.toEpochDay());
            if (place.practitionerId() == null || "BOOKED".equals(place.status())) {
                if (place.practitionerId() == null) {
                    vacant[day]++;
                    vacancies++;
                }
                continue;
            }
            worked.put(place.practitionerId() + "|" + place.date(), place.kind());
        }
        Map<String, StaffTotals> totals = new HashMap<>();
        record.totals().forEach(t -> totals.put(t.staffId(), t));
        List<RosterView.Row> rows = new ArrayList<>();
        for (Person person : record.people()) {
            List<RosterView.Cell> cells = new ArrayList<>();
            for (LocalDate date : dates) {
                ShiftKind kind = worked.get(person.practitionerId() + "|" + date);
                boolean onLeave = record.leave().stream().anyMatch(l -> l.staffId().equals(person.practitionerId())
                        && l.covers(date));
                cells.add(kind != null ? new RosterView.Cell(code(kind), ShiftTimes.label(kind))
                        : onLeave ? new RosterView.Cell("AL", "Annual leave") : new RosterView.Cell("", "Off"));
            }
            rows.add(new RosterView.Row(person.practitionerId(), person.name(), cells,
                    totals.get(person.practitionerId())));
        }
        List<Integer> perDay = new ArrayList<>();
        for (int v : vacant) {
            perDay.add(v);
        }
        Timestamp published = (Timestamp) r.get("published_at");
        return new RosterView(rosterId, (String) r.get("care_team_id"), (String) r.get("unit_name"), first, days,
                (String) r.get("status"), published == null ? null : published.toInstant(), dates, rows, perDay,
                vacancies, record.score());
    }

    static String code(ShiftKind kind) {
        return switch (kind) {
            case EARLY -> "E";
            case LATE -> "L";
            case NIGHT -> "N";
            case LONG_DAY -> "LD";
        };
    }
}
