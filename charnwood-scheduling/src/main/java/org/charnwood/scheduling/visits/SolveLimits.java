package org.charnwood.scheduling.visits;

import java.time.Duration;

/**
 * How long the solver may search: at most {@code spent}, and stop early once the best plan has not improved for
 * {@code unimproved}. {@code explainUnassigned} caps how many unassigned visits get a reason (each costs one trial
 * insertion into every route). {@code moves}, when given, stops the search after that many moves instead: the same
 * problem then always gets the same plan, however busy the machine is, which is what a test that asserts on the
 * plan's quality needs (a time limit on a loaded machine may leave the solver almost no search at all).
 */
public record SolveLimits(Duration spent, Duration unimproved, int explainUnassigned, Long moves) {

    public SolveLimits(Duration spent, Duration unimproved, int explainUnassigned) {
        this(spent, unimproved, explainUnassigned, null);
    }

    public static SolveLimits of(Duration spent, Duration unimproved) {
        return new SolveLimits(spent, unimproved, 100);
    }

    /** A fixed amount of search, {@code moves} moves evaluated, whatever time that takes. */
    public static SolveLimits moves(long moves, int explainUnassigned) {
        return new SolveLimits(null, null, explainUnassigned, moves);
    }
}
