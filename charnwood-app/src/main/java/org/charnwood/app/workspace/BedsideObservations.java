package org.charnwood.app.workspace;

import org.charnwood.app.observations.Consciousness;
import org.charnwood.app.observations.News2Inputs;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stores one set of bedside observations as vital-sign Observations, coded as docs/observations.md lists, all
 * with the same effectiveDateTime and in one transaction: the NEWS2 derivation then finds them as one set, and
 * a failure leaves nothing half-saved.
 */
@Component
class BedsideObservations {

    private static final String LOINC = "http://loinc.org";
    private static final String SNOMED = "http://snomed.info/sct";
    private static final String UCUM = "http://unitsofmeasure.org";
    private static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    private final FhirRepository repository;

    BedsideObservations(FhirRepository repository) {
        this.repository = repository;
    }

    /**
     * Records the set taken at {@code takenAt} by {@code performer} (a FHIR reference; null when unknown).
     *
     * @return the encounter the set was recorded in, or null when the patient has no current one
     */
    String record(String patientId, News2Inputs inputs, Instant takenAt, String performer) {
        // A transaction that clashed with a concurrent one (serialisation failure, deadlock) wrote nothing, so
        // it is safe to run again; a nurse at the bedside should not have to type the set in twice.
        for (int attempt = 1; ; attempt++) {
            try {
                return recordOnce(patientId, inputs, takenAt, performer);
            } catch (FhirException e) {
                boolean transientClash = e.status() == 409 && e.outcome().getIssueFirstRep().getCode()
                        == org.hl7.fhir.r4.model.OperationOutcome.IssueType.TRANSIENT;
                if (!transientClash || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private String recordOnce(String patientId, News2Inputs inputs, Instant takenAt, String performer) {
        String patient = "Patient/" + patientId;
        Date when = Date.from(takenAt.truncatedTo(ChronoUnit.SECONDS));
        return repository.inTransaction(session -> {
            Map<String, List<String>> current = new LinkedHashMap<>();
            current.put("patient", List.of(patient));
            current.put("status", List.of("in-progress"));
            current.put("_sort", List.of("-date"));
            List<Long> encounters = session.search(new SearchRequest("Encounter", current, false)).matches();
            String encounter = encounters.isEmpty() ? null
                    : "Encounter/" + ClinicalRecord.parse(session.load(encounters.subList(0, 1)).get(0),
                    Encounter.class).getIdElement().getIdPart();
            String by = performer != null && session.existing(Set.of(performer)).contains(performer) ? performer : null;
            List<Draft> set = new ArrayList<>();
            if (inputs.respirationRate() != null) {
                set.add(quantity("9279-1", "Respiratory rate", "86290005", "Respiratory rate",
                        inputs.respirationRate(), "breaths/minute", "/min"));
            }
            if (inputs.oxygenSaturation() != null) {
                set.add(quantity("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "431314004",
                        "SpO2 - oxygen saturation at periphery", inputs.oxygenSaturation(), "%", "%")
                        .addCode(LOINC, "2708-6", "Oxygen saturation in Arterial blood"));
            }
            if (inputs.onOxygen() != null) {
                set.add(inputs.onOxygen() ? coded("371825009", "Patient on oxygen")
                        : coded("722742002", "Breathing room air"));
            }
            if (inputs.systolicPressure() != null) {
                set.add(quantity("8480-6", "Systolic blood pressure", "271649006", "Systolic blood pressure",
                        inputs.systolicPressure(), "mmHg", "mm[Hg]"));
            }
            if (inputs.pulse() != null) {
                set.add(quantity("8867-4", "Heart rate", "364075005", "Heart rate", inputs.pulse(),
                        "beats/minute", "/min"));
            }
            if (inputs.consciousness() != null) {
                Consciousness level = inputs.consciousness();
                Draft acvpu = coded(Consciousness.OBSERVATION_CODE, Consciousness.OBSERVATION_DISPLAY);
                acvpu.observation.setValue(new CodeableConcept(new Coding(SNOMED, level.snomedCode(), level.display())));
                set.add(acvpu);
            }
            if (inputs.temperature() != null) {
                set.add(quantity("8310-5", "Body temperature", "386725007", "Body temperature",
                        inputs.temperature(), "degrees C", "Cel"));
            }
            for (Draft draft : set) {
                Observation observation = draft.observation;
                observation.setSubject(new Reference(patient));
                observation.setEffective(new DateTimeType(when));
                if (encounter != null) {
                    observation.setEncounter(new Reference(encounter));
                }
                if (by != null) {
                    observation.addPerformer(new Reference(by));
                }
                session.create(observation);
            }
            return encounter;
        });
    }

    /** An Observation being built (a small wrapper so codes can be added fluently). */
    private static final class Draft {
        final Observation observation = new Observation();

        Draft addCode(String system, String code, String display) {
            observation.getCode().addCoding(new Coding(system, code, display));
            return this;
        }
    }

    private static Draft base() {
        Draft draft = new Draft();
        draft.observation.setStatus(Observation.ObservationStatus.FINAL);
        draft.observation.addCategory(new CodeableConcept(new Coding(CATEGORY, "vital-signs", "Vital Signs")));
        return draft;
    }

    private static Draft quantity(String loinc, String loincDisplay, String snomed, String snomedDisplay,
                                  BigDecimal value, String unit, String ucum) {
        Draft draft = base().addCode(LOINC, loinc, loincDisplay).addCode(SNOMED, snomed, snomedDisplay);
        draft.observation.getCode().setText(snomedDisplay);
        draft.observation.setValue(new Quantity().setValue(value).setUnit(unit).setSystem(UCUM).setCode(ucum));
        return draft;
    }

    private static Draft coded(String snomed, String display) {
        Draft draft = base().addCode(SNOMED, snomed, display);
        draft.observation.getCode().setText(display);
        return draft;
    }
}
