package org.charnwood.scheduling.visits;

import java.time.Duration;

/**
 * When the solver got where: its first plan breaking no hard constraint, its first such plan with every visit
 * placed (null when never), and the whole search.
 */
public record SolveTimeline(Duration firstFeasible, Duration firstComplete, Duration spent) {
}
