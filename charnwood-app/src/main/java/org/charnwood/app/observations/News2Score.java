package org.charnwood.app.observations;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A complete NEWS2 score: the score of each parameter, the aggregate (0–20) and the clinical risk it gives.
 *
 * @param parameterScores  score per parameter, all seven present
 * @param scale            the SpO2 scale the saturation was scored on
 * @param roundedTemperature the temperature as scored, rounded to one decimal place
 */
public record News2Score(Map<News2Parameter, Integer> parameterScores, SpO2Scale scale, BigDecimal roundedTemperature) {

    public News2Score {
        parameterScores = Collections.unmodifiableMap(new EnumMap<>(parameterScores));
    }

    public int total() {
        return parameterScores.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int scoreOf(News2Parameter parameter) {
        return parameterScores.get(parameter);
    }

    /** Whether any one parameter scores 3 (a "red score"). */
    public boolean hasRedScore() {
        return parameterScores.containsValue(3);
    }

    /** The risk band: the first matching of high (≥ 7), medium (5–6), low-medium (a single 3), low. */
    public ClinicalRisk risk() {
        int total = total();
        if (total >= 7) return ClinicalRisk.HIGH;
        if (total >= 5) return ClinicalRisk.MEDIUM;
        if (hasRedScore()) return ClinicalRisk.LOW_MEDIUM;
        return ClinicalRisk.LOW;
    }

    /**
     * The longest time until the next set of observations is due, from the chart's minimum monitoring
     * frequencies; null for high risk, which needs continuous monitoring.
     */
    public Duration nextObservationsWithin() {
        return switch (risk()) {
            case HIGH -> null;
            case MEDIUM, LOW_MEDIUM -> Duration.ofHours(1);
            case LOW -> total() == 0 ? Duration.ofHours(12) : Duration.ofHours(4);
        };
    }
}
