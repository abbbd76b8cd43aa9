package org.charnwood.scheduling.visits;

import java.time.Duration;

/**
 * How long the solver may search: at most {@code spent}, and stop early once the best plan has not improved for
 * {@code unimproved}. {@code explainUnassigned} caps how many unassigned visits get a reason (each costs one trial
 * insertion into every route).
 */
public record SolveLimits(Duration spent, Duration unimproved, int explainUnassigned) {

    public static SolveLimits of(Duration spent, Duration unimproved) {
        return new SolveLimits(spent, unimproved, 100);
    }
}
