package org.charnwood.app.observations;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How long each rung of the escalation chain has to respond, by clinical risk. Halfway through the window an
 * unanswered escalation alerts the same role again; at the end of it the escalation goes up a rung. The RCP
 * response text suggests emergency assessment within about 30 minutes for high risk and urgent assessment
 * within about an hour for medium; trusts set their own, stricter, times here.
 */
@ConfigurationProperties("charnwood.escalation")
record EscalationSettings(Duration highRiskResponse, Duration mediumRiskResponse, Duration lowMediumRiskResponse) {

    EscalationSettings {
        highRiskResponse = highRiskResponse == null ? Duration.ofMinutes(10) : highRiskResponse;
        mediumRiskResponse = mediumRiskResponse == null ? Duration.ofMinutes(30) : mediumRiskResponse;
        lowMediumRiskResponse = lowMediumRiskResponse == null ? Duration.ofMinutes(60) : lowMediumRiskResponse;
    }

    Duration responseWindow(ClinicalRisk risk) {
        return switch (risk) {
            case HIGH -> highRiskResponse;
            case MEDIUM -> mediumRiskResponse;
            default -> lowMediumRiskResponse;
        };
    }
}
