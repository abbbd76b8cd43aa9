package org.charnwood.app.rostering;

import org.charnwood.app.web.FormErrors;
import org.charnwood.scheduling.roster.ShiftKind;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** The leave or preference request form as typed, and its server-side validation. */
public class StaffRequestForm {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d/M/uuuu").withResolverStyle(ResolverStyle.STRICT);

    private String kind;
    private String firstDay;
    private String lastDay;
    private String shiftKind;
    private String note;

    /** A valid request, ready to record. */
    record Valid(String kind, LocalDate first, LocalDate last, ShiftKind shiftKind, String note) {
    }

    Valid validate(LocalDate today, FormErrors errors) {
        if (kind == null || !(kind.equals("LEAVE") || kind.equals("WANT") || kind.equals("AVOID"))) {
            errors.add("kind", "Select what you are asking for");
        }
        LocalDate first = date(firstDay, "firstDay", "the first day", errors);
        LocalDate last = lastDay == null || lastDay.isBlank() ? first : date(lastDay, "lastDay", "the last day", errors);
        if (first != null && first.isBefore(today)) {
            errors.add("firstDay", "The first day must be today or in the future");
        }
        if (first != null && last != null && last.isBefore(first)) {
            errors.add("lastDay", "The last day must be the same as or after the first day");
        }
        if (first != null && last != null && last.isAfter(first.plusDays(41))) {
            errors.add("lastDay", "A request can cover at most 6 weeks");
        }
        ShiftKind shift = null;
        if (shiftKind != null && !shiftKind.isBlank() && !"ANY".equals(shiftKind)) {
            try {
                shift = ShiftKind.valueOf(shiftKind);
            } catch (IllegalArgumentException e) {
                errors.add("shiftKind", "Select a shift");
            }
        }
        if (note != null && note.length() > 500) {
            errors.add("note", "The note must be 500 characters or fewer");
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new Valid(kind, first, last, "LEAVE".equals(kind) ? null : shift,
                note == null || note.isBlank() ? null : note.strip());
    }

    private static LocalDate date(String text, String field, String name, FormErrors errors) {
        if (text == null || text.isBlank()) {
            errors.add(field, "Enter " + name);
            return null;
        }
        try {
            return LocalDate.parse(text.strip(), DAY);
        } catch (DateTimeParseException e) {
            errors.add(field, "Enter " + name + " as a real date, for example 14/12/2026");
            return null;
        }
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getFirstDay() {
        return firstDay;
    }

    public void setFirstDay(String firstDay) {
        this.firstDay = firstDay;
    }

    public String getLastDay() {
        return lastDay;
    }

    public void setLastDay(String lastDay) {
        this.lastDay = lastDay;
    }

    public String getShiftKind() {
        return shiftKind;
    }

    public void setShiftKind(String shiftKind) {
        this.shiftKind = shiftKind;
    }

    public String getNote() {
        return note;
    }

    public void setNote(String note) {
        this.note = note;
    }
}
