package org.charnwood.app.workspace;

import org.charnwood.app.web.FormErrors;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * A date typed as day, month and year (the NHS.UK date input): all three empty is no date; otherwise each must be
 * a number and together a real date, not in the future. The error is added under the day field, which the
 * error summary links to.
 */
final class FormDate {

    private FormDate() {
    }

    static LocalDate parse(String day, String month, String year, String field, String label, LocalDate today,
                           FormErrors errors) {
        return parse(day, month, year, field, label, today, false, errors);
    }

    /** As above; {@code future} allows dates after today (a plan's review or end date). */
    static LocalDate parse(String day, String month, String year, String field, String label, LocalDate today,
                           boolean future, FormErrors errors) {
        boolean empty = blank(day) && blank(month) && blank(year);
        if (empty) {
            return null;
        }
        if (blank(day) || blank(month) || blank(year)) {
            errors.add(field, label + " must include a day, month and year");
            return null;
        }
        if (!day.trim().matches("\\d{1,2}") || !month.trim().matches("\\d{1,2}") || !year.trim().matches("\\d{4}")) {
            errors.add(field, label + " must be a real date, like 15 3 2024");
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(year.trim()), Integer.parseInt(month.trim()),
                    Integer.parseInt(day.trim()));
        } catch (DateTimeException e) {
            errors.add(field, label + " must be a real date, like 15 3 2024");
            return null;
        }
        if (!future && date.isAfter(today)) {
            errors.add(field, label + " must be today or in the past");
            return null;
        }
        if (date.getYear() < 1900 || date.getYear() > today.getYear() + 20) {
            errors.add(field, label + " must be a year between 1900 and " + (today.getYear() + 20));
            return null;
        }
        return date;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
