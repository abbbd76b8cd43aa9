package org.charnwood.app.scheduling;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The {@code charnwood.scheduling.*} settings: how long planning a team's day may search ({@code plan-time}, and
 * stop sooner once the best plan has not improved for {@code plan-unimproved}), and the same for a replan during
 * the day ({@code replan-time}, {@code replan-unimproved}), which should be quick because someone is waiting for
 * an urgent visit to be placed. A small day stops improving within a second or two, so the unimproved limits keep
 * tests and small teams fast while a 250-visit day uses the whole time.
 */
@ConfigurationProperties("charnwood.scheduling")
public record SchedulingSettings(Duration planTime, Duration planUnimproved, Duration replanTime,
                                 Duration replanUnimproved) {

    public SchedulingSettings {
        planTime = planTime == null ? Duration.ofSeconds(15) : planTime;
        planUnimproved = planUnimproved == null ? Duration.ofSeconds(2) : planUnimproved;
        replanTime = replanTime == null ? Duration.ofSeconds(3) : replanTime;
        replanUnimproved = replanUnimproved == null ? Duration.ofMillis(500) : replanUnimproved;
    }
}
