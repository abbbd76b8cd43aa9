package org.charnwood.app.triage;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * How referral clocks are set up ({@code charnwood.triage.*}). Targets come from the pathway's goals; these are
 * the defaults when a pathway sets none.
 *
 * @param zone                where calendar days and months are counted (Europe/London)
 * @param nearBreach          the fraction of a target after which a running clock is near breach (0.8)
 * @param reablementCounting  whether the 2-day reablement standard counts calendar days (default: the national
 *                            definition is of dates, not times) or elapsed hours
 * @param urgentServices      services whose every referral runs the 2-hour urgent community response clock
 *                            (any referral with priority {@code asap} runs it too)
 * @param reablementServices  services whose referrals run the 2-day reablement clock
 * @param targets             default targets by clock code ({@code referral-to-triage} ...)
 */
@ConfigurationProperties("charnwood.triage")
public record TriageSettings(ZoneId zone, Double nearBreach, ClockTarget.Counting reablementCounting,
                             List<String> urgentServices, List<String> reablementServices,
                             Map<String, Duration> targets) {

    public TriageSettings {
        zone = zone == null ? ZoneId.of("Europe/London") : zone;
        nearBreach = nearBreach == null ? 0.8 : nearBreach;
        reablementCounting = reablementCounting == null ? ClockTarget.Counting.CALENDAR_DAYS : reablementCounting;
        urgentServices = urgentServices == null ? List.of("urgent-community-response") : List.copyOf(urgentServices);
        reablementServices = reablementServices == null ? List.of("intermediate-care")
                : List.copyOf(reablementServices);
        targets = targets == null ? Map.of() : Map.copyOf(targets);
    }

    /** The default target for a clock. */
    Duration defaultTarget(ReferralClock clock) {
        Duration configured = targets.get(clock.code());
        if (configured != null) {
            return configured;
        }
        return switch (clock) {
            case REFERRAL_TO_TRIAGE -> Duration.ofDays(2);
            case REFERRAL_TO_FIRST_CONTACT -> Duration.ofDays(28);
            case URGENT_RESPONSE -> Duration.ofHours(2);
            case REABLEMENT -> Duration.ofDays(2);
        };
    }

    /** How a clock's target is counted. */
    ClockTarget.Counting counting(ReferralClock clock) {
        return clock == ReferralClock.REABLEMENT ? reablementCounting : ClockTarget.Counting.ELAPSED;
    }
}
