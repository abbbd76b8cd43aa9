package org.charnwood.app.security.policy;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code charnwood.access.*} settings.
 *
 * @param breakGlassDuration     how long an emergency access grant lasts
 * @param breakGlassMinReason    the fewest characters a stated reason may have
 * @param relationshipCache      how long a person's legitimate relationships are remembered (changes to the
 *                               resources that make them forget sooner); zero to work them out every time
 * @param appointmentBefore      how long before its start a booked appointment gives a relationship
 * @param appointmentAfter       how long after its start it still gives one, whatever its status was left as
 */
@ConfigurationProperties("charnwood.access")
public record AccessSettings(Duration breakGlassDuration, Integer breakGlassMinReason, Duration relationshipCache,
                             Duration appointmentBefore, Duration appointmentAfter) {

    public AccessSettings {
        breakGlassDuration = breakGlassDuration == null ? Duration.ofHours(4) : breakGlassDuration;
        breakGlassMinReason = breakGlassMinReason == null ? 20 : breakGlassMinReason;
        relationshipCache = relationshipCache == null ? Duration.ofSeconds(60) : relationshipCache;
        appointmentBefore = appointmentBefore == null ? Duration.ofDays(14) : appointmentBefore;
        appointmentAfter = appointmentAfter == null ? Duration.ofDays(14) : appointmentAfter;
    }
}
