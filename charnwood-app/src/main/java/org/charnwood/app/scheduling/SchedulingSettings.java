package org.charnwood.app.scheduling;

import org.charnwood.scheduling.visits.SolveLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code charnwood.scheduling.*} settings: how long planning a team's day may search ({@code plan-time}, and
 * stop sooner once the best plan has not improved for {@code plan-unimproved}), and the same for a replan during
 * the day ({@code replan-time}, {@code replan-unimproved}), which should be quick because someone is waiting for
 * an urgent visit to be placed. A small day stops improving within a second or two, so the unimproved limits keep
 * tests and small teams fast while a 250-visit day uses the whole time. {@code plan-moves} and
 * {@code replan-moves}, when set, stop the search after that many moves instead of any time: the same day then gets
 * the same plan however busy the machine is, which tests that assert on what was planned need.
 */
@ConfigurationProperties("charnwood.scheduling")
public record SchedulingSettings(Duration planTime, Duration planUnimproved, Duration replanTime,
                                 Duration replanUnimproved, Long planMoves, Long replanMoves) {

    public SchedulingSettings {
        planTime = planTime == null ? Duration.ofSeconds(15) : planTime;
        planUnimproved = planUnimproved == null ? Duration.ofSeconds(2) : planUnimproved;
        replanTime = replanTime == null ? Duration.ofSeconds(3) : replanTime;
        replanUnimproved = replanUnimproved == null ? Duration.ofMillis(500) : replanUnimproved;
    }

    SolveLimits planLimits() {
        return planMoves == null ? new SolveLimits(planTime, planUnimproved, 100) : SolveLimits.moves(planMoves, 100);
    }

    SolveLimits replanLimits() {
        return replanMoves == null ? new SolveLimits(replanTime, replanUnimproved, 100)
                : SolveLimits.moves(replanMoves, 100);
    }
}
