package org.charnwood.app.workspace;

import org.charnwood.app.web.PatientDisplay;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Builds the patient banner from the Patient, their allergies, their active Flags and the record's labels.
 *
 * <p>What the banner says of allergies and alerts is read as a clinical statement, so an empty list is never
 * shown as "none" to someone who may not see them all: booking staff, or a clinician with no care relationship,
 * are told they are not shown (without saying whether there are any), and someone who sees only part of them
 * is told that part is not shown.
 */
@Component
class PatientBanners {

    static final String SPO2_SCALE = "https://charnwood.nhs.uk/fhir/CodeSystem/news2-spo2-scale";
    /** The types whose security labels decide the "restricted record" marker. */
    private static final String[] LABELLED_TYPES = {"Patient", "Condition", "DocumentReference", "Encounter",
            "Observation", "MedicationRequest", "CarePlan", "EpisodeOfCare", "AllergyIntolerance", "Flag"};

    private final ClinicalRecord record;
    private final ObservationRecording observations;
    private final Clock clock;

    PatientBanners(ClinicalRecord record, ObservationRecording observations, Clock clock) {
        this.record = record;
        this.observations = observations;
        this.clock = clock;
    }

    /** The banner of a patient; empty when there is no such patient. */
    java.util.Optional<PatientBanner> banner(String patientId) {
        return record.read("Patient", patientId, Patient.class).map(this::banner);
    }

    PatientBanner banner(Patient patient) {
        String id = patient.getIdElement().getIdPart();
        String reference = "Patient/" + id;
        LocalDate today = LocalDate.now(clock.withZone(Text.UK));
        // The birth date is a calendar date, not an instant: read its text, not a Date in some time zone.
        String birth = patient.hasBirthDateElement() ? patient.getBirthDateElement().getValueAsString() : null;
        LocalDate born = birth != null && birth.length() == 10 ? LocalDate.parse(birth) : null;
        String allergies = allergies(id, reference);
        List<String> alerts = new ArrayList<>();
        boolean scale2 = false;
        Date now = Date.from(clock.instant());
        for (Flag flag : record.search("Flag", Flag.class, "patient", reference, "_count", "100")) {
            // Flag has no status search parameter in R4: inactive and entered-in-error flags are skipped here.
            if (flag.getStatus() != Flag.FlagStatus.ACTIVE) {
                continue;
            }
            if (flag.hasPeriod() && flag.getPeriod().hasEnd() && flag.getPeriod().getEnd().before(now)) {
                continue;
            }
            if (flag.getCode().getCoding().stream().anyMatch(c -> SPO2_SCALE.equals(c.getSystem())
                    && "scale-2".equals(c.getCode()))) {
                scale2 = true;
                alerts.add("SpO2 scale 2 (target 88–92%)");
            } else {
                alerts.add(Text.concept(flag.getCode()));
            }
        }
        return new PatientBanner(id, Text.name(patient), PatientDisplay.nhsNumber(patient), Text.date(born),
                born == null ? null : Period.between(born, today).getYears(),
                patient.hasGender() ? patient.getGender().getDisplay() : "Not known",
                patient.hasAddress() ? Text.address(patient.getAddressFirstRep()) : "No address recorded",
                gp(patient), allergies, alerts, alertsNote(id),
                record.hasRestricted(reference, LABELLED_TYPES), scale2, observations.allowed(id));
    }

    static final String NOT_SHOWN = "Not shown – you cannot see this patient's clinical record."
            + " Do not take this to mean there are none.";

    private String allergies(String id, String reference) {
        ClinicalRecord.Seen seen = record.seen(id, "AllergyIntolerance");
        if (seen == ClinicalRecord.Seen.NONE) {
            return NOT_SHOWN;
        }
        List<String> active = new ArrayList<>();
        List<AllergyIntolerance> recorded = record.search("AllergyIntolerance", AllergyIntolerance.class,
                "patient", reference, "_count", "100");
        for (AllergyIntolerance allergy : recorded) {
            String status = allergy.getClinicalStatus().getCodingFirstRep().getCode();
            if (status == null || "active".equals(status)) {
                active.add(Text.concept(allergy.getCode()));
            }
        }
        if (seen == ClinicalRecord.Seen.PART) {
            return (active.isEmpty() ? "None you can see" : String.join(", ", active))
                    + " – some allergies are not shown to you";
        }
        if (!active.isEmpty()) {
            return String.join(", ", active);
        }
        // "No known allergies" is itself an active entry, shown by name above; this is the absence of any.
        return recorded.isEmpty() ? "None recorded" : "No active allergies";
    }

    private String alertsNote(String id) {
        return switch (record.seen(id, "Flag")) {
            case ALL -> null;
            case PART -> "Some alerts are not shown to you";
            case NONE -> "Alerts not shown – you cannot see this patient's clinical record";
        };
    }

    private String gp(Patient patient) {
        List<String> names = new ArrayList<>();
        for (Reference gp : patient.getGeneralPractitioner()) {
            if (gp.hasDisplay()) {
                names.add(gp.getDisplay());
            } else if (gp.hasReference()) {
                String[] parts = gp.getReference().split("/");
                String name = parts.length != 2 ? null : switch (parts[0]) {
                    case "Organization" -> record.read(parts[0], parts[1], org.hl7.fhir.r4.model.Organization.class)
                            .map(org.hl7.fhir.r4.model.Organization::getName).orElse(null);
                    case "Practitioner" -> record.read(parts[0], parts[1], org.hl7.fhir.r4.model.Practitioner.class)
                            .map(p -> p.getNameFirstRep().getNameAsSingleString()).orElse(null);
                    default -> null;
                };
                names.add(name == null ? gp.getReference() : name);
            }
        }
        return names.isEmpty() ? "No registered GP recorded" : String.join("; ", names);
    }
}
