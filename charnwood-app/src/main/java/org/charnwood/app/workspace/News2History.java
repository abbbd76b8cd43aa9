package org.charnwood.app.workspace;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads a patient's NEWS2 scores: the score Observations the platform derived (see docs/observations.md). */
@Component
class News2History {

    static final String NEWS2_TOTAL = "http://snomed.info/sct|1104051000000101";
    static final String RISK_SYSTEM = "https://charnwood.nhs.uk/fhir/CodeSystem/news2-clinical-risk";

    private final ClinicalRecord record;

    News2History(ClinicalRecord record) {
        this.record = record;
    }

    /** The latest scores, oldest first, at most {@code count}. */
    List<News2Point> recent(String patientReference, int count) {
        List<News2Point> points = new ArrayList<>();
        for (Observation score : record.search("Observation", Observation.class, "patient", patientReference,
                "code", NEWS2_TOTAL, "status", "final,amended,corrected", "_sort", "-date",
                "_count", String.valueOf(count))) {
            if (!score.hasValueQuantity() || !score.hasEffectiveDateTimeType()) {
                continue;
            }
            points.add(new News2Point(score.getEffectiveDateTimeType().getValue().toInstant(),
                    Text.dateTime(score.getEffectiveDateTimeType().getValue()),
                    score.getValueQuantity().getValue().intValue(), risk(score)));
        }
        Collections.reverse(points);
        return points;
    }

    private static String risk(Observation score) {
        for (CodeableConcept interpretation : score.getInterpretation()) {
            for (Coding coding : interpretation.getCoding()) {
                if (RISK_SYSTEM.equals(coding.getSystem())) {
                    return coding.getCode();
                }
            }
        }
        return null;
    }
}
