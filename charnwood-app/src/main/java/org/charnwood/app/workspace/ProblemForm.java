package org.charnwood.app.workspace;

import org.charnwood.app.web.FormErrors;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;

import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The problem form as typed: the problem (a clinical finding), its clinical and verification status, when it
 * started and, once resolved, when it ended. {@link #validate} checks it; {@link #applyTo} writes it onto a UK
 * Core Condition of category problem-list-item, keeping whatever else the Condition already says.
 */
final class ProblemForm extends RecordEntryForm {

    static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    static final String VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";

    static final List<String[]> CLINICAL_STATUSES = List.of(new String[]{"active", "Active"},
            new String[]{"recurrence", "Recurrence"}, new String[]{"relapse", "Relapse"},
            new String[]{"remission", "In remission"}, new String[]{"inactive", "Inactive"},
            new String[]{"resolved", "Resolved"});
    static final List<String[]> VERIFICATION_STATUSES = List.of(new String[]{"confirmed", "Confirmed"},
            new String[]{"provisional", "Provisional"}, new String[]{"differential", "Differential"},
            new String[]{"unconfirmed", "Unconfirmed"}, new String[]{"refuted", "Refuted"},
            new String[]{"entered-in-error", "Entered in error"});
    private static final Set<String> ENDED = Set.of("inactive", "remission", "resolved");

    private String problemTerm;
    private String problemCode;
    private String problemChoice;
    private String clinicalStatus;
    private String verificationStatus;
    private String onsetDay;
    private String onsetMonth;
    private String onsetYear;
    private String abatementDay;
    private String abatementMonth;
    private String abatementYear;

    public String getProblemTerm() { return problemTerm; }
    public void setProblemTerm(String v) { problemTerm = v; }
    public String getProblemCode() { return problemCode; }
    public void setProblemCode(String v) { problemCode = v; }
    public String getProblemChoice() { return problemChoice; }
    public void setProblemChoice(String v) { problemChoice = v; }
    public String getClinicalStatus() { return clinicalStatus; }
    public void setClinicalStatus(String v) { clinicalStatus = v; }
    public String getVerificationStatus() { return verificationStatus; }
    public void setVerificationStatus(String v) { verificationStatus = v; }
    public String getOnsetDay() { return onsetDay; }
    public void setOnsetDay(String v) { onsetDay = v; }
    public String getOnsetMonth() { return onsetMonth; }
    public void setOnsetMonth(String v) { onsetMonth = v; }
    public String getOnsetYear() { return onsetYear; }
    public void setOnsetYear(String v) { onsetYear = v; }
    public String getAbatementDay() { return abatementDay; }
    public void setAbatementDay(String v) { abatementDay = v; }
    public String getAbatementMonth() { return abatementMonth; }
    public void setAbatementMonth(String v) { abatementMonth = v; }
    public String getAbatementYear() { return abatementYear; }
    public void setAbatementYear(String v) { abatementYear = v; }

    /** A valid entry, ready to write. */
    record Entry(ConceptChoice problem, String clinicalStatus, String verificationStatus, LocalDate onset,
                 LocalDate abatement) {
    }

    /** A new problem: active and confirmed unless changed. */
    static ProblemForm blank() {
        ProblemForm form = new ProblemForm();
        form.clinicalStatus = "active";
        form.verificationStatus = "confirmed";
        return form;
    }

    /** The form filled from a stored Condition, for changing it. */
    static ProblemForm of(Condition condition, String version) {
        ProblemForm form = new ProblemForm();
        form.setVersion(version);
        form.problemCode = snomedCode(condition.getCode());
        form.problemTerm = shownTerm(condition.getCode());
        form.clinicalStatus = condition.getClinicalStatus().getCodingFirstRep().getCode();
        form.verificationStatus = condition.getVerificationStatus().getCodingFirstRep().getCode();
        if (condition.hasOnsetDateTimeType()) {
            String[] parts = parts(condition.getOnsetDateTimeType().getValue());
            form.onsetDay = parts[0];
            form.onsetMonth = parts[1];
            form.onsetYear = parts[2];
        }
        if (condition.hasAbatementDateTimeType()) {
            String[] parts = parts(condition.getAbatementDateTimeType().getValue());
            form.abatementDay = parts[0];
            form.abatementMonth = parts[1];
            form.abatementYear = parts[2];
        }
        return form;
    }

    @Override
    List<String[]> storedNow() {
        return lines("Problem", problemTerm, "Clinical status", label(clinicalStatus, CLINICAL_STATUSES),
                "Verification", label(verificationStatus, VERIFICATION_STATUSES),
                "When it started", shownDate(onsetDay, onsetMonth, onsetYear),
                "When it ended", shownDate(abatementDay, abatementMonth, abatementYear));
    }

    Entry validate(ConstrainedConcepts concepts, LocalDate today, FormErrors errors) {
        ConceptChoice problem = concepts.entry(CodedField.PROBLEM, problemTerm, problemCode, problemChoice, true, this, errors);
        if (!known(clinicalStatus, CLINICAL_STATUSES)) {
            errors.add("clinicalStatus", "Select the clinical status of the problem");
        }
        if (!known(verificationStatus, VERIFICATION_STATUSES)) {
            errors.add("verificationStatus", "Select how certain the problem is");
        }
        LocalDate onset = FormDate.parse(onsetDay, onsetMonth, onsetYear, "onsetDay", "The date the problem started",
                today, errors);
        LocalDate abatement = FormDate.parse(abatementDay, abatementMonth, abatementYear, "abatementDay",
                "The date the problem ended", today, errors);
        boolean ended = clinicalStatus != null && ENDED.contains(clinicalStatus);
        if ("resolved".equals(clinicalStatus) && abatement == null && !errors.has("abatementDay")) {
            errors.add("abatementDay", "Enter the date the problem resolved");
        }
        if (abatement != null && !ended && known(clinicalStatus, CLINICAL_STATUSES)) {
            errors.add("abatementDay", "Only a resolved, inactive or in remission problem has an end date: "
                    + "remove the date or change the status");
        }
        if (onset != null && abatement != null && abatement.isBefore(onset)) {
            errors.add("abatementDay", "The date the problem ended must be on or after the date it started");
        }
        return errors.isEmpty() ? new Entry(problem, clinicalStatus, verificationStatus, onset, abatement) : null;
    }

    /** Writes the entry onto the Condition (new or current), leaving everything else it says as it was. */
    static void applyTo(Condition condition, Entry entry) {
        condition.setCode(new CodeableConcept(new Coding(SNOMED, entry.problem().code(), entry.problem().display()))
                .setText(entry.problem().display()));
        boolean hasProblemCategory = condition.getCategory().stream().anyMatch(c -> c.getCoding().stream()
                .anyMatch(k -> CATEGORY.equals(k.getSystem()) && "problem-list-item".equals(k.getCode())));
        if (!hasProblemCategory) {
            condition.addCategory(new CodeableConcept(new Coding(CATEGORY, "problem-list-item", "Problem List Item")));
        }
        // FHIR: a Condition entered in error carries no clinical status (con-5).
        if ("entered-in-error".equals(entry.verificationStatus())) {
            condition.setClinicalStatus(null);
        } else {
            condition.setClinicalStatus(new CodeableConcept(new Coding(CLINICAL, entry.clinicalStatus(),
                    label(entry.clinicalStatus(), CLINICAL_STATUSES))));
        }
        condition.setVerificationStatus(new CodeableConcept(new Coding(VERIFICATION, entry.verificationStatus(),
                label(entry.verificationStatus(), VERIFICATION_STATUSES))));
        condition.setOnset(entry.onset() == null ? null : new DateTimeType(entry.onset().toString()));
        condition.setAbatement(entry.abatement() == null ? null : new DateTimeType(entry.abatement().toString()));
    }
}
