package org.charnwood.scheduling;

import ai.timefold.solver.core.api.score.analysis.ConstraintAnalysis;
import ai.timefold.solver.core.api.score.analysis.MatchAnalysis;
import ai.timefold.solver.core.api.score.analysis.ScoreAnalysis;
import ai.timefold.solver.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import ai.timefold.solver.core.api.score.stream.DefaultConstraintJustification;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A plan's score explained constraint by constraint, most costly first, made from Timefold's {@link ScoreAnalysis}.
 * Constraints that cost nothing are left out.
 *
 * @param score    the whole score as Timefold writes it, e.g. {@code 0hard/-2medium/-41200soft}
 * @param feasible true when no hard constraint is broken
 */
public record ScoreReport(String score, boolean feasible, long hard, long medium, long soft, List<ConstraintCost> costs) {

    private static final int EXAMPLES = 5;

    public ScoreReport {
        costs = List.copyOf(costs);
    }

    public static ScoreReport of(ScoreAnalysis<HardMediumSoftLongScore> analysis) {
        HardMediumSoftLongScore total = analysis.score();
        List<ConstraintCost> costs = analysis.constraintAnalyses().stream()
                .filter(c -> !c.score().isZero())
                .map(ScoreReport::cost)
                .sorted(Comparator.comparing(ConstraintCost::level)
                        .thenComparingLong(c -> c.hard() + c.medium() + c.soft()))
                .toList();
        return new ScoreReport(total.toString(), total.isFeasible(), total.hardScore(), total.mediumScore(),
                total.softScore(), costs);
    }

    /** The cost of one constraint by name, if it cost anything. */
    public java.util.Optional<ConstraintCost> cost(String constraint) {
        return costs.stream().filter(c -> c.constraint().equals(constraint)).findFirst();
    }

    private static ConstraintCost cost(ConstraintAnalysis<HardMediumSoftLongScore> constraint) {
        HardMediumSoftLongScore weight = constraint.weight();
        ConstraintCost.Level level = weight.hardScore() != 0 ? ConstraintCost.Level.HARD
                : weight.mediumScore() != 0 ? ConstraintCost.Level.MEDIUM : ConstraintCost.Level.SOFT;
        List<MatchAnalysis<HardMediumSoftLongScore>> matches = constraint.matches() == null ? List.of()
                : constraint.matches();
        List<String> examples = matches.stream()
                .sorted(Comparator.comparing(MatchAnalysis::score))
                .limit(EXAMPLES)
                .map(m -> describe(m) + " (" + m.score() + ")")
                .toList();
        HardMediumSoftLongScore score = constraint.score();
        return new ConstraintCost(constraint.constraintName(), level, score.hardScore(), score.mediumScore(),
                score.softScore(), constraint.matchCount(), examples);
    }

    private static String describe(MatchAnalysis<HardMediumSoftLongScore> match) {
        if (match.justification() instanceof DefaultConstraintJustification justification) {
            return justification.getFacts().stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        return String.valueOf(match.justification());
    }
}
