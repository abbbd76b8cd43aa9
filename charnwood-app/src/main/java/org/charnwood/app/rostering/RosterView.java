package org.charnwood.app.rostering;

import org.charnwood.scheduling.ScoreReport;
import org.charnwood.scheduling.roster.StaffTotals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A roster as the manager's page shows it: people down the side, days across, each cell the shift worked (or
 * leave), each person's totals against contract, vacancies per day and the score explained.
 */
public record RosterView(long id, String careTeamId, String unit, LocalDate firstDay, int days, String status,
                         Instant publishedAt, List<LocalDate> dates, List<Row> rows, List<Integer> vacanciesPerDay,
                         int vacancies, ScoreReport score) {

    private static final DateTimeFormatter HEAD = DateTimeFormatter.ofPattern("EEE d MMM", Locale.UK);
    private static final DateTimeFormatter LONG = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    /** One person's line: a cell per day and their totals. */
    public record Row(String practitionerId, String name, List<Cell> cells, StaffTotals totals) {
    }

    /**
     * One day of one person: {@code code} is what the table shows (E, L, N, LD, AL or empty), {@code text} the
     * full words for screen readers.
     */
    public record Cell(String code, String text) {
    }

    public boolean draft() {
        return "DRAFT".equals(status);
    }

    public String heading(LocalDate date) {
        return HEAD.format(date);
    }

    public String periodText() {
        return LONG.format(firstDay) + " to " + LONG.format(firstDay.plusDays(days - 1L)) + " (" + days / 7 + " weeks)";
    }
}
