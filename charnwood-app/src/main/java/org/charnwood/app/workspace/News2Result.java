package org.charnwood.app.workspace;

import org.charnwood.app.observations.ClinicalRisk;
import org.charnwood.app.observations.News2Calculator;
import org.charnwood.app.observations.News2Inputs;
import org.charnwood.app.observations.News2Parameter;
import org.charnwood.app.observations.News2Score;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the nurse sees after recording a set: the NEWS2 score, clinical risk, the response the chart asks for and
 * when the next set is due; or, for an incomplete set, that no score could be calculated and what is missing.
 * Computed here for display only: the stored score Observation is the platform's derivation.
 *
 * @param complete  whether all seven parameters were recorded
 * @param total     the aggregate score (complete sets only)
 * @param risk      the risk label ("Medium"), or null
 * @param riskCode  the risk code for styling ("medium"), or null
 * @param response  what the chart says to do
 * @param nextDue   when the next set is due, in words
 * @param scores    each parameter with its score (complete sets only)
 * @param missing   what was not recorded (incomplete sets only)
 */
record News2Result(boolean complete, int total, String risk, String riskCode, String response, String nextDue,
                   List<ParameterScore> scores, List<String> missing) implements Serializable {

    /** One parameter's score. */
    record ParameterScore(String parameter, int score) implements Serializable {
    }

    static News2Result of(News2Inputs inputs, Instant takenAt) {
        if (!inputs.missing().isEmpty()) {
            return new News2Result(false, 0, null, null, null, null, List.of(),
                    inputs.missing().stream().map(News2Result::label).toList());
        }
        News2Score score = new News2Calculator().score(inputs);
        List<ParameterScore> scores = new ArrayList<>();
        for (News2Parameter parameter : News2Parameter.values()) {
            scores.add(new ParameterScore(label(parameter), score.scoreOf(parameter)));
        }
        Duration within = score.nextObservationsWithin();
        String nextDue = within == null ? "Continuous monitoring of vital signs"
                : "Next observations due by " + Text.dateTime(java.util.Date.from(takenAt.plus(within)))
                  + " (within " + within.toHours() + " hours)";
        return new News2Result(true, score.total(), score.risk().label(), riskCode(score.risk()),
                response(score), nextDue, scores, List.of());
    }

    static String riskCode(ClinicalRisk risk) {
        return switch (risk) {
            case LOW -> "low";
            case LOW_MEDIUM -> "low-medium";
            case MEDIUM -> "medium";
            case HIGH -> "high";
        };
    }

    /** The chart's clinical response for the score, in brief. */
    static String response(News2Score score) {
        return switch (score.risk()) {
            case HIGH -> "Tell the medical team caring for the patient immediately (at least specialist registrar "
                    + "level). Emergency assessment by a team with critical-care competencies; consider transfer "
                    + "to a level 2 or 3 care facility.";
            case MEDIUM -> "Tell the medical team caring for the patient immediately. Urgent assessment by a "
                    + "clinician competent in acute illness; care in an environment with monitoring facilities.";
            case LOW_MEDIUM -> "A single parameter scores 3: the registered nurse tells the medical team, who "
                    + "review the patient and decide whether care needs escalating.";
            case LOW -> score.total() == 0 ? "Continue routine NEWS2 monitoring."
                    : "A registered nurse assesses the patient and decides whether monitoring should be more "
                      + "frequent or care escalated.";
        };
    }

    static String label(News2Parameter parameter) {
        return switch (parameter) {
            case RESPIRATION_RATE -> "Respiration rate";
            case OXYGEN_SATURATION -> "Oxygen saturation";
            case AIR_OR_OXYGEN -> "Air or oxygen";
            case SYSTOLIC_BLOOD_PRESSURE -> "Systolic blood pressure";
            case PULSE -> "Pulse";
            case CONSCIOUSNESS -> "Consciousness";
            case TEMPERATURE -> "Temperature";
        };
    }
}
