package org.charnwood.app.workspace;

import org.charnwood.app.web.FormErrors;

import java.time.DateTimeException;
import java.time.LocalDate;

/** Reads the NHS.UK date input (day, month and year typed in three boxes) and says what is wrong with it. */
final class FormDates {

    private FormDates() {
    }

    /**
     * The date typed, or null with a problem added to {@code field}.
     *
     * @param noun what the date is, in lower case ("date of the contact")
     */
    static LocalDate date(String day, String month, String year, String field, String noun, FormErrors errors) {
        String d = day == null ? "" : day.trim();
        String m = month == null ? "" : month.trim();
        String y = year == null ? "" : year.trim();
        if (d.isEmpty() && m.isEmpty() && y.isEmpty()) {
            errors.add(field, "Enter the " + noun);
            return null;
        }
        if (!d.matches("\\d{1,2}") || !m.matches("\\d{1,2}") || !y.matches("\\d{4}")) {
            errors.add(field, capitalised(noun) + " must be a real date, like 27 3 2026");
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(y), Integer.parseInt(m), Integer.parseInt(d));
        } catch (DateTimeException e) {
            errors.add(field, capitalised(noun) + " must be a real date, like 27 3 2026");
            return null;
        }
    }

    static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
