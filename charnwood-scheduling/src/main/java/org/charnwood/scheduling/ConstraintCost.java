package org.charnwood.scheduling;

import java.util.List;

/**
 * What one constraint costs in a plan: its level (hard, medium or soft), its weight and total per level, how many
 * times it matched and a few of the matches in words, so a page can show why a plan scores as it does.
 */
public record ConstraintCost(String constraint, Level level, long hard, long medium, long soft, int matchCount,
                             List<String> examples) {

    /** Hard constraints must hold; medium counts work left undone (unassigned visits, vacant shifts); soft is quality. */
    public enum Level { HARD, MEDIUM, SOFT }

    public ConstraintCost {
        examples = List.copyOf(examples);
    }
}
