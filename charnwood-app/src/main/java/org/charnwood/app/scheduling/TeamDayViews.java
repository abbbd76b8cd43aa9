package org.charnwood.app.scheduling;

import org.charnwood.app.security.Requester;
import org.charnwood.scheduling.ConstraintCost;
import org.charnwood.scheduling.visits.DayPlan;
import org.charnwood.scheduling.visits.PlannedVisit;
import org.charnwood.scheduling.visits.Route;
import org.charnwood.scheduling.visits.StaffMember;
import org.charnwood.scheduling.visits.UnassignedVisit;
import org.charnwood.scheduling.visits.VisitProblem;
import org.charnwood.scheduling.visits.VisitRequest;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a plan into what the pages show ({@link TeamDayView}): names instead of ids, minutes instead of seconds. */
@Component
class TeamDayViews {

    /** The timeline runs from 07:30 to 17:30. */
    private static final int FROM = 7 * 60 + 30;
    private static final int TO = 17 * 60 + 30;
    private static final Pattern SCORE = Pattern.compile("\\((-?\\d+)hard/(-?\\d+)medium/(-?\\d+)soft\\)$");

    /** What each constraint means, in the words of the team lead rather than the solver. */
    private static final Map<String, String> MEANINGS = Map.ofEntries(
            Map.entry("Skill match", "A visit given to someone without a skill it needs (per missing skill)"),
            Map.entry("Minimum band", "A visit given to someone below the band it needs (per band short)"),
            Map.entry("Time window", "A visit started after the latest time it may start (per minute late)"),
            Map.entry("Working hours", "Someone back at base after their shift ends (per minute over)"),
            Map.entry("Maximum visits", "Someone given more visits than their day allows (per visit over)"),
            Map.entry("Maximum working time", "Someone visiting and driving for longer than allowed (per minute over)"),
            Map.entry("Patient visits overlap", "Two people with one patient at once (per minute)"),
            Map.entry("Unassigned visit", "Visits left out of the plan: 20 for urgent, 5 for high priority, 1 for routine"),
            Map.entry("Travel time", "Time spent driving, base to base"),
            Map.entry("Continuity of carer", "A patient seen by someone who has not visited them before (5 minutes of driving each)"),
            Map.entry("Preferred carer gender", "A patient seen by someone not of the gender they asked for (30 minutes of driving each)"),
            Map.entry("Fair workload", "Uneven share of visits between the team (grows with the square of each route)"),
            Map.entry("Lateness by priority", "Urgent and high-priority visits started later than they could have been"),
            Map.entry("Disruption to the previous plan", "Visits moved to another nurse when replanning (an hour of driving each)"));

    private final TeamDayReader reader;
    private final VisitPatients patients;

    TeamDayViews(TeamDayReader reader, VisitPatients patients) {
        this.reader = reader;
        this.patients = patients;
    }

    /**
     * @param previous the plan a replan revised, to show what moved; null for none
     * @param scored   false for a day read back from its Appointments (no score or travel to show)
     */
    TeamDayView view(Requester requester, String careTeamId, VisitProblem problem, DayPlan plan, DayPlan previous,
                     boolean scored) {
        Map<String, ServiceRequest> requests = reader.requests(careTeamId, plan.date());
        Map<String, VisitRequest> visits = new HashMap<>();
        problem.visits().forEach(v -> visits.put(v.id(), v));
        Set<String> patientIds = new LinkedHashSet<>();
        problem.visits().forEach(v -> patientIds.add(v.patientId()));
        plan.routes().forEach(r -> r.visits().forEach(v -> patientIds.add(v.patientId())));
        Map<String, VisitPatients.PatientCard> cards = patients.cards(requester, patientIds, false);
        Map<String, ServiceRequest> shown = patients.requests(requester, requests.keySet());
        Map<String, StaffMember> staff = new HashMap<>();
        problem.staff().forEach(s -> staff.put(s.id(), s));
        Map<String, String> names = new HashMap<>();
        problem.staff().forEach(s -> names.put(s.id(), s.name()));
        problem.visits().forEach(v -> names.put(v.id(), "visit to " + name(cards, v.patientId())));

        Map<String, String> before = new HashMap<>();
        Map<String, LocalTime> beforeTime = new HashMap<>();
        if (previous != null) {
            previous.routes().forEach(r -> r.visits().forEach(v -> {
                before.put(v.visitId(), r.staffId());
                beforeTime.put(v.visitId(), v.start());
            }));
        }
        List<TeamDayView.Moved> moved = new ArrayList<>();
        List<TeamDayView.NurseDay> nurses = new ArrayList<>();
        int row = 0;
        for (Route route : plan.routes()) {
            StaffMember member = staff.get(route.staffId());
            String name = member == null ? route.staffId() : member.name();
            List<TeamDayView.Stop> stops = new ArrayList<>();
            List<TeamDayView.Bar> bars = new ArrayList<>();
            int y = TeamDayView.HEADER + row * TeamDayView.ROW;
            if (member != null && member.breakStart() != null && !member.breakLength().isZero()) {
                bars.add(bar("break", member.breakStart(), member.breakStart().plus(member.breakLength()),
                        "Break " + member.breakStart() + " to " + member.breakStart().plus(member.breakLength())));
            }
            int order = 1;
            for (PlannedVisit visit : route.visits()) {
                VisitRequest request = visits.get(visit.visitId());
                String need = need(requests, shown, cards, visit.visitId(), visit.patientId());
                String priority = request == null ? "Routine" : title(request.priority().name());
                boolean urgent = request != null && request.priority().name().equals("URGENT");
                String from = before.get(visit.visitId());
                LocalTime fromTime = beforeTime.get(visit.visitId());
                boolean hasMoved = previous != null && (from == null || !from.equals(route.staffId())
                        || fromTime != null && Math.abs(Duration.between(fromTime, visit.start()).toMinutes()) >= 15);
                if (hasMoved) {
                    moved.add(new TeamDayView.Moved(visit.visitId(), name(cards, visit.patientId()), need,
                            from == null ? "Not planned" : staffName(staff, from), name, minute(fromTime),
                            minute(visit.start())));
                }
                long travel = visit.travelFromPrevious().toMinutes();
                if (travel > 0) {
                    bars.add(bar("travel", visit.arrival().minusMinutes(travel), visit.arrival(),
                            "Travel " + travel + " min"));
                }
                String patient = name(cards, visit.patientId());
                bars.add(bar(visit.pinned() ? "fixed" : hasMoved ? "moved" : urgent ? "urgent" : "visit",
                        visit.start(), visit.end(), minute(visit.start()) + " to " + minute(visit.end()) + ": "
                                + need + ", " + patient));
                VisitPatients.PatientCard card = cards.get(visit.patientId());
                stops.add(new TeamDayView.Stop(order++, visit.visitId(), visit.patientId(), patient,
                        card == null || !card.shown() ? "" : card.postcode(), need, priority, minute(visit.arrival()),
                        minute(visit.start()), minute(visit.end()), travel, hasMoved, visit.pinned(), urgent));
            }
            long travelMinutes = route.travel().toMinutes();
            String summary = route.visits().isEmpty() ? "No visits"
                    : route.visits().size() + (route.visits().size() == 1 ? " visit, " : " visits, ")
                    + minute(route.visits().getFirst().start()) + " to " + minute(route.visits().getLast().end())
                    + (scored ? ", " + travelMinutes + " min driving, back at base " + minute(route.backAtBase()) : "");
            nurses.add(new TeamDayView.NurseDay(route.staffId(), name,
                    member == null ? "" : "Band " + member.band(), y, stops, bars, travelMinutes,
                    minute(route.backAtBase()), summary));
            row++;
        }
        if (previous != null) {
            for (UnassignedVisit left : plan.unassigned()) {
                if (before.containsKey(left.visitId())) {
                    moved.add(new TeamDayView.Moved(left.visitId(), name(cards, left.patientId()),
                            need(requests, shown, cards, left.visitId(), left.patientId()), staffName(staff, before.get(left.visitId())),
                            "Left out", minute(beforeTime.get(left.visitId())), null));
                }
            }
        }
        List<TeamDayView.LeftOut> unassigned = new ArrayList<>();
        for (UnassignedVisit left : plan.unassigned()) {
            VisitRequest request = visits.get(left.visitId());
            unassigned.add(new TeamDayView.LeftOut(left.visitId(), name(cards, left.patientId()),
                    need(requests, shown, cards, left.visitId(), left.patientId()), title(left.priority().name()),
                    request == null ? "" : request.earliestStart() + " to " + request.latestStart(),
                    left.blockingConstraints(), words(left.explanation(), names)));
        }
        List<TeamDayView.ScoreLine> score = new ArrayList<>();
        if (scored) {
            for (ConstraintCost cost : plan.score().costs()) {
                score.add(new TeamDayView.ScoreLine(cost.constraint(), title(cost.level().name()),
                        MEANINGS.getOrDefault(cost.constraint(), ""), cost.matchCount(), cost(cost),
                        cost.examples().stream().map(e -> example(e, names)).toList()));
            }
        }
        List<TeamDayView.Tick> ticks = new ArrayList<>();
        for (int hour = 8; hour <= 17; hour++) {
            ticks.add(new TeamDayView.Tick(x(hour * 60), String.format("%02d:00", hour)));
        }
        return new TeamDayView(plan.date(), nurses, unassigned, score, plan.score().score(), plan.feasible(),
                plan.assignedCount(), plan.assignedCount() + plan.unassigned().size(),
                plan.totalTravel().toMinutes(), moved, ticks,
                TeamDayView.HEADER + Math.max(1, nurses.size()) * TeamDayView.ROW + 4);
    }

    /** A time to the minute, as a timetable shows it (seconds are the solver's precision, not the nurse's). */
    static LocalTime minute(LocalTime time) {
        return time == null ? null : time.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    }

    /** Where a time of day falls on the timeline, in SVG units. */
    static double x(int minuteOfDay) {
        int clamped = Math.max(FROM, Math.min(TO, minuteOfDay));
        return TeamDayView.LABELS + (clamped - FROM) * (double) (TeamDayView.WIDTH - TeamDayView.LABELS - 10)
                / (TO - FROM);
    }

    private static TeamDayView.Bar bar(String kind, LocalTime from, LocalTime to, String label) {
        double start = x(from.getHour() * 60 + from.getMinute());
        double end = x(to.getHour() * 60 + to.getMinute());
        return new TeamDayView.Bar(kind, round(start), round(Math.max(1, end - start)), label);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /**
     * What a visit is for, as the signed-in person may see it: a request they may not see (its labels), or for a
     * patient they may not see, keeps its place on the day with "details not shown" instead of its need.
     */
    private static String need(Map<String, ServiceRequest> requests, Map<String, ServiceRequest> shown,
                               Map<String, VisitPatients.PatientCard> cards, String visitId, String patientId) {
        VisitPatients.PatientCard card = cards.get(patientId);
        if (requests.containsKey(visitId) && (!shown.containsKey(visitId) || card == null || !card.shown())) {
            return VisitPatients.DETAILS_NOT_SHOWN;
        }
        return need(requests.get(visitId));
    }

    static String need(ServiceRequest request) {
        if (request == null) {
            return "Visit";
        }
        if (request.getCode().getText() != null) {
            return request.getCode().getText();
        }
        String display = request.getCode().getCodingFirstRep().getDisplay();
        return display == null ? "Visit" : display;
    }

    private static String name(Map<String, VisitPatients.PatientCard> cards, String patientId) {
        VisitPatients.PatientCard card = cards.get(patientId);
        return card == null ? "Patient not shown" : card.name();
    }

    private static String staffName(Map<String, StaffMember> staff, String id) {
        StaffMember member = staff.get(id);
        return member == null ? id : member.name();
    }

    private static String title(String constant) {
        String lower = constant.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** A constraint's cost in its own unit: minutes, visits, or the minutes of driving a soft penalty is worth. */
    private static String cost(ConstraintCost cost) {
        return switch (cost.level()) {
            case HARD -> Math.abs(cost.hard()) + " (must be 0)";
            case MEDIUM -> Math.abs(cost.medium()) + " (weighted visits left out)";
            case SOFT -> cost.constraint().equals("Travel time") ? minutes(cost.soft()) + " of driving"
                    : "as much as " + minutes(cost.soft()) + " of driving";
        };
    }

    private static String minutes(long seconds) {
        long minutes = Math.round(Math.abs(seconds) / 60.0);
        return minutes >= 120 ? (minutes / 60) + " h " + (minutes % 60) + " min" : minutes + " min";
    }

    /** An example match in words: names for ids, and its cost in the constraint's unit. */
    private static String example(String example, Map<String, String> names) {
        Matcher m = SCORE.matcher(example);
        String facts = m.find() ? example.substring(0, m.start()).trim() : example;
        String cost = "";
        if (m.find(0)) {
            long hard = Long.parseLong(m.group(1));
            long medium = Long.parseLong(m.group(2));
            long soft = Long.parseLong(m.group(3));
            cost = hard != 0 ? " (" + Math.abs(hard) + ")" : medium != 0 ? " (" + Math.abs(medium) + ")"
                    : " (" + minutes(soft) + ")";
        }
        return words(facts, names) + cost;
    }

    private static String words(String text, Map<String, String> names) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        Matcher ids = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.\\-]*").matcher(text);
        int last = 0;
        while (ids.find()) {
            out.append(text, last, ids.start());
            String word = ids.group();
            out.append(names.getOrDefault(word, word));
            last = ids.end();
        }
        return out.append(text.substring(last)).toString();
    }
}
