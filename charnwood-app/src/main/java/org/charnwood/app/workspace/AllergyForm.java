package org.charnwood.app.workspace;

import org.charnwood.app.web.FormErrors;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;

import java.time.LocalDate;
import java.util.List;

/**
 * The allergy form as typed: the substance or product, allergy or intolerance, criticality, clinical and
 * verification status, one reaction (what happened and how severe) and when it started. {@link #applyTo} writes
 * it onto a UK Core AllergyIntolerance, keeping whatever else the record says (other reactions included).
 */
final class AllergyForm extends RecordEntryForm {

    static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
    static final String VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
    /** SNOMED CT 716186003 |No known allergy|: how "no known allergies" is recorded. */
    static final String NO_KNOWN_ALLERGY = "716186003";
    static final String NO_KNOWN_ALLERGY_DISPLAY = "No known allergy";

    static final List<String[]> TYPES = List.of(new String[]{"allergy", "Allergy"},
            new String[]{"intolerance", "Intolerance (not an allergic reaction)"});
    static final List<String[]> CRITICALITIES = List.of(new String[]{"low", "Low risk"},
            new String[]{"high", "High risk (life-threatening or severe)"},
            new String[]{"unable-to-assess", "Unable to assess"});
    static final List<String[]> CLINICAL_STATUSES = List.of(new String[]{"active", "Active"},
            new String[]{"inactive", "Inactive"}, new String[]{"resolved", "Resolved"});
    static final List<String[]> VERIFICATION_STATUSES = List.of(new String[]{"confirmed", "Confirmed"},
            new String[]{"unconfirmed", "Unconfirmed"}, new String[]{"refuted", "Refuted"},
            new String[]{"entered-in-error", "Entered in error"});
    static final List<String[]> SEVERITIES = List.of(new String[]{"mild", "Mild"},
            new String[]{"moderate", "Moderate"}, new String[]{"severe", "Severe"});

    private String substanceTerm;
    private String substanceCode;
    private String substanceChoice;
    private String type;
    private String criticality;
    private String clinicalStatus;
    private String verificationStatus;
    private String reactionTerm;
    private String reactionCode;
    private String reactionChoice;
    private String severity;
    private String onsetDay;
    private String onsetMonth;
    private String onsetYear;

    public String getSubstanceTerm() { return substanceTerm; }
    public void setSubstanceTerm(String v) { substanceTerm = v; }
    public String getSubstanceCode() { return substanceCode; }
    public void setSubstanceCode(String v) { substanceCode = v; }
    public String getSubstanceChoice() { return substanceChoice; }
    public void setSubstanceChoice(String v) { substanceChoice = v; }
    public String getType() { return type; }
    public void setType(String v) { type = v; }
    public String getCriticality() { return criticality; }
    public void setCriticality(String v) { criticality = v; }
    public String getClinicalStatus() { return clinicalStatus; }
    public void setClinicalStatus(String v) { clinicalStatus = v; }
    public String getVerificationStatus() { return verificationStatus; }
    public void setVerificationStatus(String v) { verificationStatus = v; }
    public String getReactionTerm() { return reactionTerm; }
    public void setReactionTerm(String v) { reactionTerm = v; }
    public String getReactionCode() { return reactionCode; }
    public void setReactionCode(String v) { reactionCode = v; }
    public String getReactionChoice() { return reactionChoice; }
    public void setReactionChoice(String v) { reactionChoice = v; }
    public String getSeverity() { return severity; }
    public void setSeverity(String v) { severity = v; }
    public String getOnsetDay() { return onsetDay; }
    public void setOnsetDay(String v) { onsetDay = v; }
    public String getOnsetMonth() { return onsetMonth; }
    public void setOnsetMonth(String v) { onsetMonth = v; }
    public String getOnsetYear() { return onsetYear; }
    public void setOnsetYear(String v) { onsetYear = v; }

    /** A valid entry, ready to write; reaction and severity may be null. */
    record Entry(ConceptChoice substance, String type, String criticality, String clinicalStatus,
                 String verificationStatus, ConceptChoice reaction, String severity, LocalDate onset) {
    }

    static AllergyForm blank() {
        AllergyForm form = new AllergyForm();
        form.type = "allergy";
        form.clinicalStatus = "active";
        form.verificationStatus = "confirmed";
        return form;
    }

    static AllergyForm of(AllergyIntolerance allergy, String version) {
        AllergyForm form = new AllergyForm();
        form.setVersion(version);
        form.substanceCode = snomedCode(allergy.getCode());
        form.substanceTerm = shownTerm(allergy.getCode());
        form.type = allergy.hasType() ? allergy.getType().toCode() : null;
        form.criticality = allergy.hasCriticality() ? allergy.getCriticality().toCode() : null;
        form.clinicalStatus = allergy.getClinicalStatus().getCodingFirstRep().getCode();
        form.verificationStatus = allergy.getVerificationStatus().getCodingFirstRep().getCode();
        if (allergy.hasReaction()) {
            AllergyIntolerance.AllergyIntoleranceReactionComponent reaction = allergy.getReactionFirstRep();
            form.reactionCode = snomedCode(reaction.getManifestationFirstRep());
            form.reactionTerm = shownTerm(reaction.getManifestationFirstRep());
            form.severity = reaction.hasSeverity() ? reaction.getSeverity().toCode() : null;
        }
        if (allergy.hasOnsetDateTimeType()) {
            String[] parts = parts(allergy.getOnsetDateTimeType().getValue());
            form.onsetDay = parts[0];
            form.onsetMonth = parts[1];
            form.onsetYear = parts[2];
        }
        return form;
    }

    /**
     * Checks the form; {@code keepsNoKnownAllergy} lets a "no known allergy" record keep its code when its
     * statuses are changed (the code is outside the substance constraint by design).
     */
    @Override
    List<String[]> storedNow() {
        return lines("Substance", substanceTerm, "Type", label(type, TYPES),
                "Risk of a severe reaction", label(criticality, CRITICALITIES),
                "Clinical status", label(clinicalStatus, CLINICAL_STATUSES),
                "Verification", label(verificationStatus, VERIFICATION_STATUSES), "Reaction", reactionTerm,
                "Severity", label(severity, SEVERITIES), "When it started", shownDate(onsetDay, onsetMonth, onsetYear));
    }

    Entry validate(ConstrainedConcepts concepts, LocalDate today, boolean keepsNoKnownAllergy, FormErrors errors) {
        ConceptChoice substance;
        if (keepsNoKnownAllergy && NO_KNOWN_ALLERGY.equals(trimmed(substanceCode)) && FormDate.blank(substanceChoice)) {
            substance = new ConceptChoice(NO_KNOWN_ALLERGY, NO_KNOWN_ALLERGY_DISPLAY);
        } else {
            substance = concepts.entry(CodedField.ALLERGEN, substanceTerm, substanceCode, substanceChoice, true,
                    this, errors);
        }
        if (!known(type, TYPES)) {
            errors.add("type", "Select allergy or intolerance");
        }
        if (!FormDate.blank(criticality) && !known(criticality, CRITICALITIES)) {
            errors.add("criticality", "Select the risk of a severe reaction");
        }
        if (!known(clinicalStatus, CLINICAL_STATUSES)) {
            errors.add("clinicalStatus", "Select whether the allergy is active");
        }
        if (!known(verificationStatus, VERIFICATION_STATUSES)) {
            errors.add("verificationStatus", "Select how certain the allergy is");
        }
        ConceptChoice reaction = concepts.entry(CodedField.REACTION, reactionTerm, reactionCode, reactionChoice,
                false, this, errors);
        boolean reactionGiven = !FormDate.blank(reactionTerm) || !FormDate.blank(reactionCode)
                || !FormDate.blank(reactionChoice);
        if (!FormDate.blank(severity) && !known(severity, SEVERITIES)) {
            errors.add("severity", "Select how severe the reaction was");
        } else if (!FormDate.blank(severity) && !reactionGiven) {
            errors.add("reactionTerm", "Enter the reaction the severity is for, or leave the severity empty");
        }
        LocalDate onset = FormDate.parse(onsetDay, onsetMonth, onsetYear, "onsetDay", "The date it started", today,
                errors);
        return errors.isEmpty() ? new Entry(substance, type, FormDate.blank(criticality) ? null : criticality,
                clinicalStatus, verificationStatus, reaction, FormDate.blank(severity) ? null : severity, onset)
                : null;
    }

    static void applyTo(AllergyIntolerance allergy, Entry entry) {
        allergy.setCode(new CodeableConcept(new Coding(SNOMED, entry.substance().code(), entry.substance().display()))
                .setText(entry.substance().display()));
        allergy.setType(AllergyIntolerance.AllergyIntoleranceType.fromCode(entry.type()));
        allergy.setCriticality(entry.criticality() == null ? null
                : AllergyIntolerance.AllergyIntoleranceCriticality.fromCode(entry.criticality()));
        // FHIR ait-2: an AllergyIntolerance entered in error has no clinical status.
        if ("entered-in-error".equals(entry.verificationStatus())) {
            allergy.setClinicalStatus(null);
        } else {
            allergy.setClinicalStatus(new CodeableConcept(new Coding(CLINICAL, entry.clinicalStatus(),
                    label(entry.clinicalStatus(), CLINICAL_STATUSES))));
        }
        allergy.setVerificationStatus(new CodeableConcept(new Coding(VERIFICATION, entry.verificationStatus(),
                label(entry.verificationStatus(), VERIFICATION_STATUSES))));
        if (entry.reaction() == null) {
            if (allergy.hasReaction()) {
                allergy.getReaction().remove(0);
            }
        } else {
            AllergyIntolerance.AllergyIntoleranceReactionComponent reaction = allergy.hasReaction()
                    ? allergy.getReactionFirstRep() : allergy.addReaction();
            reaction.getManifestation().clear();
            reaction.addManifestation(new CodeableConcept(new Coding(SNOMED, entry.reaction().code(),
                    entry.reaction().display())).setText(entry.reaction().display()));
            reaction.setSeverity(entry.severity() == null ? null
                    : AllergyIntolerance.AllergyIntoleranceSeverity.fromCode(entry.severity()));
        }
        allergy.setOnset(entry.onset() == null ? null : new DateTimeType(entry.onset().toString()));
    }

    static boolean isNoKnownAllergy(AllergyIntolerance allergy) {
        Coding code = snomed(allergy.getCode());
        return code != null && NO_KNOWN_ALLERGY.equals(code.getCode());
    }
}
