package org.charnwood.terminology.ecl;

import java.util.BitSet;
import java.util.Objects;

import org.charnwood.terminology.ConceptGraph;

/**
 * A parsed expression constraint. Immutable and safe to share between threads: parse once (a binding, a value set,
 * a pathway criterion) and evaluate against whichever release is current. Two expressions are equal when their
 * normal forms are ({@link #toString()}).
 */
public final class EclExpression {

    private final String source;
    private final Constraint constraint;
    private final String normalForm;

    EclExpression(String source, Constraint constraint) {
        this.source = source;
        this.constraint = Objects.requireNonNull(constraint);
        this.normalForm = EclWriter.write(constraint);
    }

    /** The syntax tree. */
    public Constraint constraint() {
        return constraint;
    }

    /** The text as it was given, with its terms and comments. */
    public String source() {
        return source;
    }

    /** The concepts (by number in the graph) that match, within the {@link EclBudget#standard() standard} budget. */
    public BitSet evaluate(ConceptGraph graph) {
        return evaluate(graph, EclBudget.standard());
    }

    /**
     * The concepts (by number in the graph) that match; a new set each call.
     *
     * @throws EclCostExceededException when the evaluation goes over the budget
     */
    public BitSet evaluate(ConceptGraph graph, EclBudget budget) {
        return new EclEvaluator(graph, budget, false).result(constraint);
    }

    /** Whether one concept matches, within the {@link EclBudget#standard() standard} budget. */
    public boolean matches(ConceptGraph graph, int concept) {
        return matches(graph, concept, EclBudget.standard());
    }

    /**
     * Whether one concept (by number in the graph) matches. This works from the concept outwards (its ancestors,
     * its relationships) and only expands a part of the constraint where there is no cheaper way (the operand of
     * {@code >} or {@code !!<}, member-of over an expression), so that checking a coded value against a binding
     * costs far less than expanding the binding.
     *
     * @throws EclCostExceededException when the test goes over the budget
     */
    public boolean matches(ConceptGraph graph, int concept, EclBudget budget) {
        if (concept < 0 || concept >= graph.size()) {
            return false;
        }
        return new EclEvaluator(graph, budget, true).contains(constraint, concept);
    }

    /** Whether the concept with this SCTID matches; false when the release does not have it. */
    public boolean matchesConceptId(ConceptGraph graph, long conceptId, EclBudget budget) {
        int index = graph.index(conceptId);
        return index >= 0 && matches(graph, index, budget);
    }

    /** The normal form: capital keywords, single spaces, no terms or comments, only the brackets needed. */
    @Override
    public String toString() {
        return normalForm;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EclExpression expression && expression.normalForm.equals(normalForm);
    }

    @Override
    public int hashCode() {
        return normalForm.hashCode();
    }
}
