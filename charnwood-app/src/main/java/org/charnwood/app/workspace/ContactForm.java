package org.charnwood.app.workspace;

import org.charnwood.app.web.FormErrors;
import org.charnwood.app.workspace.ContactCoding.Mechanism;
import org.charnwood.app.workspace.SnomedAnswers.Answer;
import org.charnwood.app.workspace.SnomedAnswers.Match;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.EpisodeOfCare;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The "record a contact" form as typed. Every field is text, so what was typed is shown again with its error;
 * {@link #validate} turns it into a {@link Contact} or says what is wrong. The coded fields carry the term typed
 * and, once chosen, the concept's code.
 */
final class ContactForm {

    static final int NOTE_LIMIT = 10_000;

    /** A valid contact, ready to store. */
    record Contact(EpisodeOfCare episode, Instant start, int minutes, Mechanism mechanism, boolean attended,
                   Coding reason, Coding outcome, String note) {
    }

    private String episode;
    private String day;
    private String month;
    private String year;
    private String time;
    private String duration;
    private String mechanism;
    private String attendance;
    private String reasonTerm;
    private String reasonCode;
    private String reasonChoice;
    private String outcomeTerm;
    private String outcomeChoice;
    private String outcomeCode;
    private String note;
    private List<Match> reasonMatches = List.of();
    private List<Match> outcomeMatches = List.of();

    public String getEpisode() { return episode; }
    public void setEpisode(String v) { episode = v; }
    public String getDay() { return day; }
    public void setDay(String v) { day = v; }
    public String getMonth() { return month; }
    public void setMonth(String v) { month = v; }
    public String getYear() { return year; }
    public void setYear(String v) { year = v; }
    public String getTime() { return time; }
    public void setTime(String v) { time = v; }
    public String getDuration() { return duration; }
    public void setDuration(String v) { duration = v; }
    public String getMechanism() { return mechanism; }
    public void setMechanism(String v) { mechanism = v; }
    public String getAttendance() { return attendance; }
    public void setAttendance(String v) { attendance = v; }
    public String getReasonTerm() { return reasonTerm; }
    public void setReasonTerm(String v) { reasonTerm = v; }
    public String getReasonCode() { return reasonCode; }
    public void setReasonCode(String v) { reasonCode = v; }
    public String getReasonChoice() { return reasonChoice; }
    public void setReasonChoice(String v) { reasonChoice = v; }
    public String getOutcomeChoice() { return outcomeChoice; }
    public void setOutcomeChoice(String v) { outcomeChoice = v; }
    public String getOutcomeTerm() { return outcomeTerm; }
    public void setOutcomeTerm(String v) { outcomeTerm = v; }
    public String getOutcomeCode() { return outcomeCode; }
    public void setOutcomeCode(String v) { outcomeCode = v; }
    public String getNote() { return note; }
    public void setNote(String v) { note = v; }
    public List<Match> getReasonMatches() { return reasonMatches; }
    public List<Match> getOutcomeMatches() { return outcomeMatches; }

    /** A new form for a contact now, in the only open episode when there is just one. */
    static ContactForm startingAt(ZonedDateTime now, List<EpisodeOfCare> openEpisodes) {
        ContactForm form = new ContactForm();
        form.day = Integer.toString(now.getDayOfMonth());
        form.month = Integer.toString(now.getMonthValue());
        form.year = Integer.toString(now.getYear());
        form.time = String.format("%02d:%02d", now.getHour(), now.getMinute());
        if (openEpisodes.size() == 1) {
            form.episode = openEpisodes.get(0).getIdElement().getIdPart();
        }
        return form;
    }

    /** The contact when the form is valid; otherwise null, with every problem added to {@code errors}. */
    Contact validate(List<EpisodeOfCare> openEpisodes, Instant now, SnomedAnswers snomed, FormErrors errors) {
        EpisodeOfCare chosenEpisode = openEpisodes.stream()
                .filter(e -> e.getIdElement().getIdPart().equals(episode)).findFirst().orElse(null);
        if (chosenEpisode == null) {
            errors.add("episode", "Select the episode of care the contact belongs to");
        }
        Instant start = start(chosenEpisode, now, errors);
        Integer minutes = null;
        String typedDuration = duration == null ? "" : duration.trim();
        if (typedDuration.isEmpty()) {
            errors.add("duration", "Enter how long the contact lasted, in minutes");
        } else if (!typedDuration.matches("\\d{1,4}")) {
            errors.add("duration", "Duration must be a whole number of minutes, like 30");
        } else {
            minutes = Integer.parseInt(typedDuration);
            if (minutes < 1 || minutes > 720) {
                errors.add("duration", "Duration must be between 1 and 720 minutes");
                minutes = null;
            }
        }
        Mechanism how = null;
        try {
            how = mechanism == null ? null : Mechanism.valueOf(mechanism);
        } catch (IllegalArgumentException e) {
            how = null;
        }
        if (how == null) {
            errors.add("mechanism", "Select how the contact took place");
        }
        Boolean attended = switch (attendance == null ? "" : attendance) {
            case "attended" -> true;
            case "did-not-attend" -> false;
            default -> null;
        };
        if (attended == null) {
            errors.add("attendance", "Select whether the patient attended");
        }
        Answer reason = snomed.resolve("reasonTerm", "reason for the contact", reasonTerm, reasonCode, reasonChoice,
                ContactCoding.REASON_ECL, true, errors);
        reasonMatches = reason.matches();
        // Someone who did not attend has no outcome to record; an attended contact must say what came of it.
        Answer outcome = snomed.resolve("outcomeTerm", "outcome of the contact", outcomeTerm, outcomeCode, outcomeChoice,
                ContactCoding.OUTCOME_ECL, !Boolean.FALSE.equals(attended), errors);
        outcomeMatches = outcome.matches();
        // A resolved answer is shown as its concept's term, carrying its code, so it is kept as chosen.
        reasonChoice = null;
        outcomeChoice = null;
        reasonCode = reason.resolved() ? reason.coding().getCode() : null;
        outcomeCode = outcome.resolved() ? outcome.coding().getCode() : null;
        if (reason.resolved()) {
            reasonTerm = reason.coding().getDisplay();
        }
        if (outcome.resolved()) {
            outcomeTerm = outcome.coding().getDisplay();
        }
        String text = note == null ? "" : note.strip();
        if (text.length() > NOTE_LIMIT) {
            errors.add("note", "Clinical note must be " + NOTE_LIMIT + " characters or fewer");
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new Contact(chosenEpisode, start, minutes, how, attended, reason.coding(), outcome.coding(),
                text.isEmpty() ? null : text);
    }

    /** The start as an instant (UK time), not in the future and not before the episode began. */
    private Instant start(EpisodeOfCare chosenEpisode, Instant now, FormErrors errors) {
        LocalDate date = FormDates.date(day, month, year, "day", "date of the contact", errors);
        if (date == null) {
            return null;
        }
        String typed = time == null ? "" : time.trim();
        if (!typed.matches("([01]?\\d|2[0-3])[:.][0-5]\\d")) {
            errors.add("time", typed.isEmpty() ? "Enter the time the contact started"
                    : "Time must be a 24-hour time, like 14:30");
            return null;
        }
        String[] parts = typed.split("[:.]");
        LocalTime at = LocalTime.of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        Instant start;
        try {
            start = date.atTime(at).atZone(Text.UK).toInstant();
        } catch (DateTimeException e) {
            errors.add("day", "Date of the contact must be a real date");
            return null;
        }
        if (start.isAfter(now)) {
            errors.add("day", "Date and time of the contact must be now or in the past");
            return null;
        }
        if (chosenEpisode != null && chosenEpisode.getPeriod().hasStart()
                && date.isBefore(chosenEpisode.getPeriod().getStartElement().getValue().toInstant().atZone(Text.UK)
                .toLocalDate())) {
            errors.add("day", "Date of the contact must be on or after the episode of care started, "
                    + Text.date(chosenEpisode.getPeriod().getStart()));
            return null;
        }
        return start;
    }
}
