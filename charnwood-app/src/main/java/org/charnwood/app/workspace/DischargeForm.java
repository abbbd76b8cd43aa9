package org.charnwood.app.workspace;

import org.charnwood.app.web.FormErrors;
import org.charnwood.app.workspace.SnomedAnswers.Answer;
import org.charnwood.app.workspace.SnomedAnswers.Match;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.EpisodeOfCare;

import java.time.LocalDate;
import java.util.List;

/** The "close an episode" form as typed: the end date, the coded discharge reason, and whether to complete the referral. */
final class DischargeForm {

    /** A valid discharge. */
    record Discharge(LocalDate end, Coding reason, boolean completeReferral) {
    }

    private String day;
    private String month;
    private String year;
    private String reasonTerm;
    private String reasonCode;
    private String reasonChoice;
    private String completeReferral;
    private String version;
    private List<Match> reasonMatches = List.of();

    public String getDay() { return day; }
    public void setDay(String v) { day = v; }
    public String getMonth() { return month; }
    public void setMonth(String v) { month = v; }
    public String getYear() { return year; }
    public void setYear(String v) { year = v; }
    public String getReasonTerm() { return reasonTerm; }
    public void setReasonTerm(String v) { reasonTerm = v; }
    public String getReasonCode() { return reasonCode; }
    public void setReasonCode(String v) { reasonCode = v; }
    public String getReasonChoice() { return reasonChoice; }
    public void setReasonChoice(String v) { reasonChoice = v; }
    public String getCompleteReferral() { return completeReferral; }
    public void setCompleteReferral(String v) { completeReferral = v; }
    public List<Match> getReasonMatches() { return reasonMatches; }
    /** The version of the episode the form was opened at: the discharge is refused if it has moved on since. */
    public String getVersion() { return version; }
    public void setVersion(String v) { version = v; }

    static DischargeForm endingOn(LocalDate today, String version) {
        DischargeForm form = new DischargeForm();
        form.version = version;
        form.day = Integer.toString(today.getDayOfMonth());
        form.month = Integer.toString(today.getMonthValue());
        form.year = Integer.toString(today.getYear());
        form.completeReferral = "yes";
        return form;
    }

    /** The discharge when the form is valid; otherwise null, with every problem added to {@code errors}. */
    Discharge validate(EpisodeOfCare episode, LocalDate today, SnomedAnswers snomed, FormErrors errors) {
        LocalDate end = FormDates.date(day, month, year, "day", "date of discharge", errors);
        if (end != null) {
            LocalDate start = episode.getPeriod().hasStart()
                    ? episode.getPeriod().getStartElement().getValue().toInstant().atZone(Text.UK).toLocalDate() : null;
            if (end.isAfter(today)) {
                errors.add("day", "Date of discharge must be today or in the past");
                end = null;
            } else if (start != null && end.isBefore(start)) {
                errors.add("day", "Date of discharge must be on or after the episode started, " + Text.date(start));
                end = null;
            }
        }
        Answer reason = snomed.resolve("reasonTerm", "reason for discharge", reasonTerm, reasonCode, reasonChoice,
                ContactCoding.DISCHARGE_REASON_ECL, true, errors);
        reasonMatches = reason.matches();
        reasonChoice = null;
        reasonCode = reason.resolved() ? reason.coding().getCode() : null;
        if (reason.resolved()) {
            reasonTerm = reason.coding().getDisplay();
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new Discharge(end, reason.coding(), "yes".equals(completeReferral));
    }
}
