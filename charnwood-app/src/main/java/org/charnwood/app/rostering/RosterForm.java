package org.charnwood.app.rostering;

import org.charnwood.app.web.FormErrors;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** The "plan a roster" form as typed, and its validation. */
public class RosterForm {

    private String firstDay;
    private String weeks = "4";
    private String searchSeconds;

    /** A valid request to plan. */
    record Valid(LocalDate firstDay, int weeks, Duration searchTime) {
    }

    Valid validate(LocalDate today, Duration maxSearch, FormErrors errors) {
        LocalDate first = null;
        if (firstDay == null || firstDay.isBlank()) {
            errors.add("firstDay", "Enter the first day of the roster");
        } else {
            try {
                first = LocalDate.parse(firstDay.strip(), StaffRequestForm.DAY);
                if (first.isBefore(today)) {
                    errors.add("firstDay", "The first day must be today or in the future");
                }
            } catch (DateTimeParseException e) {
                errors.add("firstDay", "Enter the first day as a real date, for example 7/12/2026");
            }
        }
        int w = 0;
        try {
            w = Integer.parseInt(weeks == null ? "" : weeks.strip());
        } catch (NumberFormatException e) {
            // reported below
        }
        if (w < 4 || w > 6) {
            errors.add("weeks", "Select 4, 5 or 6 weeks");
        }
        Duration search = null;
        if (searchSeconds != null && !searchSeconds.isBlank()) {
            try {
                int s = Integer.parseInt(searchSeconds.strip());
                if (s < 1 || s > maxSearch.toSeconds()) {
                    errors.add("searchSeconds", "Search time must be between 1 and " + maxSearch.toSeconds() + " seconds");
                } else {
                    search = Duration.ofSeconds(s);
                }
            } catch (NumberFormatException e) {
                errors.add("searchSeconds", "Search time must be a whole number of seconds");
            }
        }
        return errors.isEmpty() ? new Valid(first, w, search) : null;
    }

    public String getFirstDay() {
        return firstDay;
    }

    public void setFirstDay(String firstDay) {
        this.firstDay = firstDay;
    }

    public String getWeeks() {
        return weeks;
    }

    public void setWeeks(String weeks) {
        this.weeks = weeks;
    }

    public String getSearchSeconds() {
        return searchSeconds;
    }

    public void setSearchSeconds(String searchSeconds) {
        this.searchSeconds = searchSeconds;
    }
}
