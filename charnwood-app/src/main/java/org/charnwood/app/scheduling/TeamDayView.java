package org.charnwood.app.scheduling;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * What the team-day and nurse-day pages show of a plan, in the words and numbers a team lead reads: each nurse's
 * route as a timeline (bars placed on a server-drawn SVG) and as a table, the visits left out and why, the score
 * explained constraint by constraint, and after a replan what moved.
 */
record TeamDayView(LocalDate date, List<NurseDay> nurses, List<LeftOut> unassigned, List<ScoreLine> score,
                   String scoreText, boolean feasible, int assigned, int total, long travelMinutes, List<Moved> moved,
                   List<Tick> ticks, int timelineHeight) {

    /** Width of the timeline drawing (SVG user units); the nurses' names take the first {@link #LABELS}. */
    static final int WIDTH = 1000;
    static final int LABELS = 200;
    static final int ROW = 30;
    static final int HEADER = 28;

    /** One nurse's day. */
    record NurseDay(String staffId, String name, String grade, int y, List<Stop> stops, List<Bar> bars,
                    long travelMinutes, LocalTime backAtBase, String summary) {
    }

    /** A visit in a route. */
    record Stop(int order, String visitId, String patientId, String patientName, String address, String need,
                String priority, LocalTime arrival, LocalTime start, LocalTime end, long travelMinutes,
                boolean moved, boolean fixed, boolean urgent) {
    }

    /** A bar on the timeline: {@code kind} is travel, visit, urgent, moved, fixed or break. */
    record Bar(String kind, double x, double width, String label) {
    }

    /** An hour mark on the timeline. */
    record Tick(double x, String label) {
    }

    /** A visit the plan left out, and the rules that kept it out. */
    record LeftOut(String visitId, String patientName, String need, String priority, String window,
                   List<String> blocking, String explanation) {
    }

    /** What one constraint costs, in plain English. */
    record ScoreLine(String constraint, String level, String meaning, int matches, String cost,
                     List<String> examples) {
    }

    /** A visit that moved in a replan: to another nurse, or by a quarter of an hour or more. */
    record Moved(String visitId, String patientName, String need, String from, String to, LocalTime fromTime,
                 LocalTime toTime) {
    }
}
