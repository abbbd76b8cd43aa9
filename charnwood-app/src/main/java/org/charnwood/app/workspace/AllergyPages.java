package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adding and changing a patient's allergies and adverse reactions (UK Core AllergyIntolerance), and recording
 * that they have no known allergies (SNOMED CT 716186003). "No known allergies" is only recorded while no active
 * allergy is, and recording an allergy makes an active "no known allergies" inactive in the same transaction, so
 * the record never says both.
 */
@Controller
@StaffPages
class AllergyPages {

    private static final RecordEntryKind<AllergyIntolerance> ALLERGY = RecordEntryKind.ALLERGY;

    private final PatientBanners banners;
    private final ClinicalRecord record;
    private final ConstrainedConcepts concepts;
    private final RecordWrites writes;
    private final RecordEntrySaves saves;
    private final Clock clock;

    AllergyPages(PatientBanners banners, ClinicalRecord record, ConstrainedConcepts concepts, RecordWrites writes,
                 RecordEntrySaves saves, Clock clock) {
        this.banners = banners;
        this.record = record;
        this.concepts = concepts;
        this.writes = writes;
        this.saves = saves;
        this.clock = clock;
    }

    @GetMapping("/staff/patients/{patientId}/allergies/new")
    String addForm(@PathVariable String patientId, HttpServletRequest request, Model model) {
        PatientRecordPages.banner(banners, patientId);
        writes.allowed(request, FhirAction.CREATE, ALLERGY.sample(patientId, null));
        return page(patientId, null, AllergyForm.blank(), new FormErrors(), model);
    }

    @GetMapping("/staff/patients/{patientId}/allergies/{allergyId}")
    String changeForm(@PathVariable String patientId, @PathVariable String allergyId, HttpServletRequest request,
                      Model model) {
        PatientRecordPages.banner(banners, patientId);
        writes.allowed(request, FhirAction.UPDATE, ALLERGY.sample(patientId, allergyId));
        StoredResource stored = ALLERGY.stored(record, patientId, allergyId);
        return page(patientId, allergyId, AllergyForm.of(stored.parse(AllergyIntolerance.class),
                RecordWrites.version(stored)), new FormErrors(), model);
    }

    @PostMapping("/staff/patients/{patientId}/allergies")
    String add(@PathVariable String patientId, @ModelAttribute("form") AllergyForm form, HttpServletRequest request,
               Model model) {
        PatientRecordPages.banner(banners, patientId);
        String patient = "Patient/" + patientId;
        Requester requester = writes.allowed(request, FhirAction.CREATE, ALLERGY.sample(patientId, null));
        return saves.add(ALLERGY, patientId, "substanceTerm",
                errors -> form.validate(concepts, Text.today(clock), false, errors),
                () -> created(patientId, requester), AllergyForm::applyTo,
                (session, allergy, entry) -> {
                    if ("active".equals(entry.clinicalStatus())) {
                        endNoKnownAllergies(session, patient, request);
                    }
                }, request, errors -> page(patientId, null, form, errors, model));
    }

    @PostMapping("/staff/patients/{patientId}/allergies/none")
    String noKnownAllergies(@PathVariable String patientId, HttpServletRequest request, Model model) {
        PatientRecordPages.banner(banners, patientId);
        String patient = "Patient/" + patientId;
        Requester requester = writes.allowed(request, FhirAction.CREATE, ALLERGY.sample(patientId, null));
        Blocked blocked = writes.save(session -> {
            List<AllergyIntolerance> active = active(session, patient);
            List<AllergyIntolerance> allergies = active.stream().filter(a -> !AllergyForm.isNoKnownAllergy(a))
                    .toList();
            if (!allergies.isEmpty()) {
                return allergies.stream().anyMatch(this::seen) ? Blocked.BY_ALLERGY_SHOWN : Blocked.BY_ALLERGY_HIDDEN;
            }
            if (active.isEmpty()) {
                AllergyIntolerance none = created(patientId, requester);
                none.setCode(new CodeableConcept(new Coding(RecordEntryForm.SNOMED, AllergyForm.NO_KNOWN_ALLERGY,
                        AllergyForm.NO_KNOWN_ALLERGY_DISPLAY)).setText(AllergyForm.NO_KNOWN_ALLERGY_DISPLAY));
                none.setClinicalStatus(new CodeableConcept(new Coding(AllergyForm.CLINICAL, "active", "Active")));
                none.setVerificationStatus(new CodeableConcept(new Coding(AllergyForm.VERIFICATION, "confirmed",
                        "Confirmed")));
                writes.allowed(request, FhirAction.CREATE, none);
                session.create(none);
            }
            return Blocked.NOT;
        });
        if (blocked != Blocked.NOT) {
            FormErrors errors = new FormErrors();
            // Never "no known allergies" over an active allergy; but one hidden from the person (labelled
            // restricted, for a health care assistant) must not be revealed by the refusal either.
            errors.conflict("no-known-allergies", blocked == Blocked.BY_ALLERGY_SHOWN
                    ? "The patient has an active allergy recorded, so ‘no known allergies’ cannot be recorded."
                            + " Mark the allergy inactive or entered in error first."
                    : "You cannot record no known allergies for this patient. Ask a registered clinician in their"
                            + " care team to review their allergies.");
            return page(patientId, null, AllergyForm.blank(), errors, model);
        }
        return ALLERGY.summary(patientId);
    }

    /** Whether "no known allergies" was refused, and whether the allergy that stood in its way can be shown. */
    private enum Blocked {
        NOT, BY_ALLERGY_SHOWN, BY_ALLERGY_HIDDEN
    }

    /** Whether the person signed in may see the entry (read under their access scope). */
    private boolean seen(AllergyIntolerance allergy) {
        return record.stored("AllergyIntolerance", allergy.getIdElement().getIdPart()).isPresent();
    }

    @PostMapping("/staff/patients/{patientId}/allergies/{allergyId}")
    String change(@PathVariable String patientId, @PathVariable String allergyId,
                  @ModelAttribute("form") AllergyForm form, HttpServletRequest request, Model model) {
        String patient = "Patient/" + patientId;
        writes.allowed(request, FhirAction.UPDATE, ALLERGY.sample(patientId, allergyId));
        boolean wasNoKnownAllergy = AllergyForm.isNoKnownAllergy(
                ALLERGY.stored(record, patientId, allergyId).parse(AllergyIntolerance.class));
        return saves.change(ALLERGY, patientId, allergyId, form, "substanceTerm",
                errors -> form.validate(concepts, Text.today(clock), wasNoKnownAllergy, errors),
                AllergyForm::applyTo,
                (session, allergy, entry) -> {
                    if ("active".equals(entry.clinicalStatus()) && !AllergyForm.isNoKnownAllergy(allergy)) {
                        endNoKnownAllergies(session, patient, request);
                    }
                }, AllergyForm::of, request, model, errors -> page(patientId, allergyId, form, errors, model));
    }

    /** Every one of the patient's active allergy records, read inside the transaction. */
    private static List<AllergyIntolerance> active(WriteSession session, String patient) throws SQLException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("patient", List.of(patient));
        parameters.put("clinical-status", List.of("active"));
        parameters.put("_count", List.of("200"));
        List<Long> keys = session.everyMatch(new SearchRequest("AllergyIntolerance", parameters, false));
        return keys.isEmpty() ? List.of() : session.load(keys).stream()
                .filter(s -> !s.deleted()).map(s -> s.parse(AllergyIntolerance.class)).toList();
    }

    /**
     * An allergy now recorded means "no known allergies" no longer holds. Only the entries the person may see are
     * changed: one hidden from them is left for those who may see it (changing it would be refused, and a refusal
     * would say it is there), and recording the allergy itself must never wait on something they cannot see.
     */
    private void endNoKnownAllergies(WriteSession session, String patient, HttpServletRequest request)
            throws SQLException {
        for (AllergyIntolerance none : active(session, patient)) {
            if (AllergyForm.isNoKnownAllergy(none) && seen(none)) {
                none.setClinicalStatus(new CodeableConcept(new Coding(AllergyForm.CLINICAL, "inactive", "Inactive")));
                writes.allowed(request, FhirAction.UPDATE, none);
                session.update("AllergyIntolerance", none.getIdElement().getIdPart(), none, null);
            }
        }
    }

    private AllergyIntolerance created(String patientId, Requester requester) {
        AllergyIntolerance allergy = ALLERGY.newFor(patientId);
        allergy.setRecordedDate(Date.from(clock.instant()));
        allergy.setRecorder(RecordEntryKind.recorder(requester));
        return allergy;
    }

    private String page(String patientId, String allergyId, AllergyForm form, FormErrors errors, Model model) {
        model.addAttribute("banner", PatientRecordPages.banner(banners, patientId));
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("allergyId", allergyId);
        model.addAttribute("substanceField", CodedField.ALLERGEN);
        model.addAttribute("substanceEcl", concepts.constraint(CodedField.ALLERGEN));
        model.addAttribute("reactionField", CodedField.REACTION);
        model.addAttribute("reactionEcl", concepts.constraint(CodedField.REACTION));
        model.addAttribute("types", AllergyForm.TYPES);
        model.addAttribute("criticalities", AllergyForm.CRITICALITIES);
        model.addAttribute("clinicalStatuses", AllergyForm.CLINICAL_STATUSES);
        model.addAttribute("verificationStatuses", AllergyForm.VERIFICATION_STATUSES);
        model.addAttribute("severities", AllergyForm.SEVERITIES);
        return "workspace/allergy-form";
    }
}
