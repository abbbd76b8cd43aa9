package org.charnwood.terminology.ecl;

import java.math.BigDecimal;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

import org.charnwood.terminology.ConceptGraph;
import org.charnwood.terminology.ConceptGraph.ConcreteValue;
import org.charnwood.terminology.ConceptGraph.Relationship;

/**
 * Evaluates one syntax tree over one graph, either to the whole set of matching concepts ({@link #evaluate}) or for
 * one concept ({@link #contains}), which answers from the concept's own neighbourhood (its ancestors, parents,
 * relationships) and expands a sub-expression only where there is no cheaper way. One instance serves one call: it
 * remembers the sets it has expanded and carries the call's {@link CostMeter}.
 */
final class EclEvaluator {

    /** The SCTID of |is a|, which ECL lets a refinement name although the graph keeps it apart from attributes. */
    private static final long IS_A = 116680003L;
    /** Scope of a refinement that may use every relationship of the concept. */
    private static final int WHOLE_CONCEPT = Integer.MIN_VALUE;

    private final ConceptGraph graph;
    private final CostMeter meter;
    private final int isA;
    /** Expanded sets, by node identity, that are only read (name and value sets, operands of lazy tests). */
    private final Map<Object, BitSet> expanded = new IdentityHashMap<>();
    private final Map<Object, ConceptTest> tests = new IdentityHashMap<>();
    private final Map<Object, Map<Integer, Boolean>> answered = new IdentityHashMap<>();
    private final boolean lazy;
    private BitSet allActive;

    EclEvaluator(ConceptGraph graph, EclBudget budget, boolean lazy) {
        this.graph = graph;
        this.meter = new CostMeter(budget);
        this.isA = graph.index(IS_A);
        this.lazy = lazy;
    }

    BitSet result(Constraint constraint) {
        return meter.checkResult(evaluate(constraint));
    }

    /** A concept-membership test, without a per-call allocation. */
    @FunctionalInterface
    private interface ConceptTest {
        boolean contains(int concept);
    }

    // ---- whole sets ----------------------------------------------------------------------------------------

    /** The concepts matching the constraint, always in a new set the caller may change. */
    BitSet evaluate(Constraint constraint) {
        return switch (constraint) {
            case Constraint.ConceptReference reference -> {
                meter.charge(1);
                BitSet single = new BitSet();
                int index = graph.index(reference.conceptId());
                if (index >= 0) {
                    single.set(index);
                }
                yield single;
            }
            case Constraint.AnyConcept any -> (BitSet) allActive().clone();
            case Constraint.Hierarchy hierarchy -> hierarchy(hierarchy);
            case Constraint.MemberOf memberOf -> memberOf(memberOf);
            case Constraint.Compound compound -> {
                BitSet result = evaluate(compound.operands().get(0));
                for (int i = 1; i < compound.operands().size(); i++) {
                    if (compound.logic() == Constraint.Logic.AND && result.isEmpty()) {
                        break;
                    }
                    BitSet next = evaluate(compound.operands().get(i));
                    if (compound.logic() == Constraint.Logic.AND) {
                        result.and(next);
                    } else {
                        result.or(next);
                    }
                }
                yield result;
            }
            case Constraint.Exclusion exclusion -> {
                BitSet result = evaluate(exclusion.included());
                if (!result.isEmpty()) {
                    result.andNot(evaluate(exclusion.excluded()));
                }
                yield result;
            }
            case Constraint.Refined refined -> {
                BitSet focus = evaluate(refined.focus());
                for (int c = focus.nextSetBit(0); c >= 0; c = focus.nextSetBit(c + 1)) {
                    if (!holds(refined.refinement(), c, WHOLE_CONCEPT)) {
                        focus.clear(c);
                    }
                }
                yield focus;
            }
            case Constraint.Dotted dotted -> {
                BitSet sources = evaluate(dotted.source());
                ConceptTest names = test(dotted.attribute());
                BitSet targets = new BitSet();
                for (int s = sources.nextSetBit(0); s >= 0; s = sources.nextSetBit(s + 1)) {
                    Relationship[] relationships = graph.attributes(s);
                    meter.charge(1 + relationships.length);
                    for (Relationship relationship : relationships) {
                        if (names.contains(relationship.type())) {
                            targets.set(relationship.other());
                        }
                    }
                    if (namesIsA(dotted.attribute(), names)) {
                        for (int parent : graph.parents(s)) {
                            targets.set(parent);
                        }
                    }
                }
                yield targets;
            }
        };
    }

    private BitSet hierarchy(Constraint.Hierarchy hierarchy) {
        BitSet operand = evaluate(hierarchy.operand());
        BitSet focus = activeOnly(operand);
        BitSet result = new BitSet(graph.size());
        switch (hierarchy.operator()) {
            case DESCENDANT_OF, DESCENDANT_OR_SELF_OF, TOP_OF -> {
                for (int c = focus.nextSetBit(0); c >= 0; c = focus.nextSetBit(c + 1)) {
                    // A focus concept already in the result is below an earlier one: its descendants are in too.
                    if (!result.get(c)) {
                        graph.addDescendants(c, result);
                        meter.charge(1);
                    }
                }
                meter.charge(result.cardinality());
            }
            case ANCESTOR_OF, ANCESTOR_OR_SELF_OF, BOTTOM_OF -> {
                for (int c = focus.nextSetBit(0); c >= 0; c = focus.nextSetBit(c + 1)) {
                    if (!result.get(c)) {
                        graph.addAncestors(c, result);
                        meter.charge(1);
                    }
                }
                meter.charge(result.cardinality());
            }
            case CHILD_OF, CHILD_OR_SELF_OF -> {
                for (int c = focus.nextSetBit(0); c >= 0; c = focus.nextSetBit(c + 1)) {
                    int[] children = graph.children(c);
                    meter.charge(1 + children.length);
                    for (int child : children) {
                        result.set(child);
                    }
                }
            }
            case PARENT_OF, PARENT_OR_SELF_OF -> {
                for (int c = focus.nextSetBit(0); c >= 0; c = focus.nextSetBit(c + 1)) {
                    int[] parents = graph.parents(c);
                    meter.charge(1 + parents.length);
                    for (int parent : parents) {
                        result.set(parent);
                    }
                }
            }
        }
        switch (hierarchy.operator()) {
            case DESCENDANT_OR_SELF_OF, ANCESTOR_OR_SELF_OF, CHILD_OR_SELF_OF, PARENT_OR_SELF_OF -> result.or(focus);
            case TOP_OF, BOTTOM_OF -> {
                focus.andNot(result);
                return focus;
            }
            default -> {
            }
        }
        return result;
    }

    private BitSet activeOnly(BitSet concepts) {
        meter.charge(1);
        for (int c = concepts.nextSetBit(0); c >= 0; c = concepts.nextSetBit(c + 1)) {
            if (!graph.active(c)) {
                concepts.clear(c);
            }
        }
        return concepts;
    }

    private BitSet memberOf(Constraint.MemberOf memberOf) {
        BitSet refsets = memberOf.refsets() instanceof Constraint.AnyConcept ? everyConcept()
                : evaluate(memberOf.refsets());
        BitSet members = new BitSet();
        for (int r = refsets.nextSetBit(0); r >= 0; r = refsets.nextSetBit(r + 1)) {
            meter.charge(1);
            BitSet refset = graph.refsetMembers(graph.conceptId(r));
            if (refset != null) {
                members.or(refset);
                meter.charge(refset.cardinality());
            }
        }
        return members;
    }

    private BitSet everyConcept() {
        meter.charge(graph.size());
        BitSet all = new BitSet(graph.size());
        all.set(0, graph.size());
        return all;
    }

    private BitSet allActive() {
        if (allActive == null) {
            int size = graph.size();
            meter.charge(size);
            allActive = new BitSet(size);
            for (int c = 0; c < size; c++) {
                if (graph.active(c)) {
                    allActive.set(c);
                }
            }
        }
        return allActive;
    }

    /** The expanded set of a node, kept for reading only. */
    private BitSet expanded(Constraint constraint) {
        BitSet set = expanded.get(constraint);
        if (set == null) {
            set = evaluate(constraint);
            expanded.put(constraint, set);
        }
        return set;
    }

    // ---- one concept ---------------------------------------------------------------------------------------

    /** Whether one concept matches the constraint. */
    boolean contains(Constraint constraint, int concept) {
        meter.charge(1);
        BitSet known = expanded.get(constraint);
        if (known != null) {
            return known.get(concept);
        }
        return switch (constraint) {
            case Constraint.ConceptReference reference -> graph.index(reference.conceptId()) == concept;
            case Constraint.AnyConcept any -> graph.active(concept);
            case Constraint.Hierarchy hierarchy -> graph.active(concept) && remembered(hierarchy, concept);
            case Constraint.MemberOf memberOf -> {
                if (memberOf.refsets() instanceof Constraint.ConceptReference refset) {
                    BitSet members = graph.refsetMembers(refset.conceptId());
                    yield members != null && members.get(concept);
                }
                yield expanded(constraint).get(concept);
            }
            case Constraint.Compound compound -> {
                boolean and = compound.logic() == Constraint.Logic.AND;
                for (Constraint operand : compound.operands()) {
                    if (contains(operand, concept) != and) {
                        yield !and;
                    }
                }
                yield and;
            }
            case Constraint.Exclusion exclusion ->
                    contains(exclusion.included(), concept) && !contains(exclusion.excluded(), concept);
            case Constraint.Refined refined ->
                    contains(refined.focus(), concept) && holds(refined.refinement(), concept, WHOLE_CONCEPT);
            case Constraint.Dotted dotted -> {
                ConceptTest names = test(dotted.attribute());
                Relationship[] pointing = graph.attributesPointingAt(concept);
                meter.charge(pointing.length);
                for (Relationship relationship : pointing) {
                    if (names.contains(relationship.type()) && contains(dotted.source(), relationship.other())) {
                        yield true;
                    }
                }
                if (namesIsA(dotted.attribute(), names)) {
                    for (int child : graph.children(concept)) {
                        if (contains(dotted.source(), child)) {
                            yield true;
                        }
                    }
                }
                yield false;
            }
        };
    }

    /**
     * Hierarchy tests over a compound operand are remembered per concept: nested operators would otherwise walk the
     * same ancestors again for every level of nesting.
     */
    private boolean remembered(Constraint.Hierarchy hierarchy, int concept) {
        Constraint operand = hierarchy.operand();
        if (operand instanceof Constraint.ConceptReference || operand instanceof Constraint.AnyConcept) {
            return hierarchyContains(hierarchy, concept);
        }
        Map<Integer, Boolean> answers = answered.computeIfAbsent(hierarchy, node -> new HashMap<>());
        Boolean answer = answers.get(concept);
        if (answer == null) {
            answer = hierarchyContains(hierarchy, concept);
            answers.put(concept, answer);
        }
        return answer;
    }

    private boolean hierarchyContains(Constraint.Hierarchy hierarchy, int concept) {
        Constraint operand = hierarchy.operand();
        return switch (hierarchy.operator()) {
            case DESCENDANT_OF -> hasProperAncestorIn(operand, concept);
            case DESCENDANT_OR_SELF_OF -> contains(operand, concept) || hasProperAncestorIn(operand, concept);
            case ANCESTOR_OF -> hasProperDescendantIn(operand, concept);
            case ANCESTOR_OR_SELF_OF -> contains(operand, concept) || hasProperDescendantIn(operand, concept);
            case CHILD_OF -> anyIn(operand, graph.parents(concept));
            case CHILD_OR_SELF_OF -> contains(operand, concept) || anyIn(operand, graph.parents(concept));
            case PARENT_OF -> anyIn(operand, graph.children(concept));
            case PARENT_OR_SELF_OF -> contains(operand, concept) || anyIn(operand, graph.children(concept));
            case TOP_OF -> contains(operand, concept) && !hasProperAncestorIn(operand, concept);
            case BOTTOM_OF -> expanded(hierarchy).get(concept);
        };
    }

    private boolean anyIn(Constraint constraint, int[] concepts) {
        meter.charge(concepts.length);
        for (int c : concepts) {
            if (graph.active(c) && contains(constraint, c)) {
                return true;
            }
        }
        return false;
    }

    /** Walks up from the concept: ancestors are few, even in a deep hierarchy. */
    private boolean hasProperAncestorIn(Constraint constraint, int concept) {
        if (constraint instanceof Constraint.ConceptReference reference) {
            int ancestor = graph.index(reference.conceptId());
            return ancestor >= 0 && ancestor != concept && graph.active(ancestor) && graph.subsumes(ancestor, concept);
        }
        BitSet ancestors = new BitSet();
        graph.addAncestors(concept, ancestors);
        meter.charge(ancestors.cardinality());
        for (int a = ancestors.nextSetBit(0); a >= 0; a = ancestors.nextSetBit(a + 1)) {
            if (contains(constraint, a)) {
                return true;
            }
        }
        return false;
    }

    /** Descendants can be many, so the operand is expanded instead and its members are tested against the concept. */
    private boolean hasProperDescendantIn(Constraint constraint, int concept) {
        if (constraint instanceof Constraint.ConceptReference reference) {
            int descendant = graph.index(reference.conceptId());
            return descendant >= 0 && descendant != concept && graph.active(descendant)
                    && graph.subsumes(concept, descendant);
        }
        BitSet members = expanded(constraint);
        meter.charge(members.cardinality());
        for (int m = members.nextSetBit(0); m >= 0; m = members.nextSetBit(m + 1)) {
            if (m != concept && graph.active(m) && graph.subsumes(concept, m)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an attribute name constraint takes in |is a|. The wildcard does not: ECL lets |is a| be named as an
     * attribute, but "any attribute" reads as the defining attributes, and the hierarchy has its own operators.
     */
    private boolean namesIsA(Constraint name, ConceptTest names) {
        return isA >= 0 && !(name instanceof Constraint.AnyConcept) && names.contains(isA);
    }

    // ---- refinements ---------------------------------------------------------------------------------------

    /**
     * The membership test for a name or value constraint: an expanded set when evaluating everything (expanded once,
     * read for every focus concept), or a walk from the one concept when testing a single concept.
     */
    private ConceptTest test(Constraint constraint) {
        ConceptTest test = tests.get(constraint);
        if (test == null) {
            if (constraint instanceof Constraint.AnyConcept) {
                test = graph::active;
            } else if (lazy) {
                test = concept -> contains(constraint, concept);
            } else {
                test = expanded(constraint)::get;
            }
            tests.put(constraint, test);
        }
        return test;
    }

    /**
     * Whether a concept satisfies a refinement within a scope: the whole concept, one relationship group
     * ({@code scope > 0}) or one ungrouped relationship on its own ({@code scope = -(k + 1)} for the k-th
     * relationship, attributes first and then concrete values), since each ungrouped relationship is a group of
     * its own.
     */
    private boolean holds(Refinement refinement, int concept, int scope) {
        return switch (refinement) {
            case Refinement.Attribute attribute -> {
                Refinement.Cardinality cardinality = attribute.cardinality();
                yield cardinality.allows(count(attribute, concept, scope, cardinality.max()));
            }
            case Refinement.Group group -> group.cardinality().allows(
                    countGroups(group.attributes(), concept, group.cardinality().max()));
            case Refinement.Combination combination -> {
                boolean and = combination.logic() == Constraint.Logic.AND;
                for (Refinement operand : combination.operands()) {
                    if (holds(operand, concept, scope) != and) {
                        yield !and;
                    }
                }
                yield and;
            }
        };
    }

    /** Counts the groups of the concept that satisfy the attributes, stopping once past {@code max}. */
    private int countGroups(Refinement attributes, int concept, int max) {
        Relationship[] relationships = graph.attributes(concept);
        ConcreteValue[] values = graph.concreteValues(concept);
        int total = relationships.length + values.length;
        meter.charge(1 + total);
        int count = 0;
        for (int k = 0; k < total && count <= max; k++) {
            int group = groupOf(relationships, values, k);
            int scope;
            if (group == 0) {
                scope = -(k + 1);
            } else {
                if (seenBefore(relationships, values, k, group)) {
                    continue;
                }
                scope = group;
            }
            if (holds(attributes, concept, scope)) {
                count++;
            }
        }
        return count;
    }

    private static int groupOf(Relationship[] relationships, ConcreteValue[] values, int k) {
        return k < relationships.length ? relationships[k].group() : values[k - relationships.length].group();
    }

    private static boolean seenBefore(Relationship[] relationships, ConcreteValue[] values, int k, int group) {
        for (int j = 0; j < k; j++) {
            if (groupOf(relationships, values, j) == group) {
                return true;
            }
        }
        return false;
    }

    private static boolean inScope(int group, int k, int scope) {
        return scope == WHOLE_CONCEPT || (scope > 0 ? group == scope : k == -(scope + 1));
    }

    /** Counts the concept's relationships in scope that match the attribute, stopping once past {@code max}. */
    private int count(Refinement.Attribute attribute, int concept, int scope, int max) {
        ConceptTest names = test(attribute.name());
        int count = 0;
        if (attribute.value() instanceof Refinement.ConceptValue conceptValue) {
            ConceptTest values = test(conceptValue.constraint());
            boolean equal = attribute.comparison() == Refinement.Comparison.EQUAL;
            Relationship[] relationships = attribute.reverse() ? graph.attributesPointingAt(concept)
                    : graph.attributes(concept);
            meter.charge(1 + relationships.length);
            for (int k = 0; k < relationships.length && count <= max; k++) {
                Relationship relationship = relationships[k];
                boolean reachable = attribute.reverse() ? scope == WHOLE_CONCEPT || relationship.group() == scope
                        : inScope(relationship.group(), k, scope);
                if (reachable && names.contains(relationship.type())
                        && values.contains(relationship.other()) == equal) {
                    count++;
                }
            }
            if (scope == WHOLE_CONCEPT && count <= max && namesIsA(attribute.name(), names)) {
                int[] related = attribute.reverse() ? graph.children(concept) : graph.parents(concept);
                meter.charge(related.length);
                for (int other : related) {
                    if (values.contains(other) == equal) {
                        count++;
                    }
                }
            }
            // "= *" is any value at all, so concrete values count too.
            if (equal && !attribute.reverse() && conceptValue.constraint() instanceof Constraint.AnyConcept) {
                ConcreteValue[] concrete = graph.concreteValues(concept);
                meter.charge(concrete.length);
                for (int k = 0; k < concrete.length && count <= max; k++) {
                    if (inScope(concrete[k].group(), relationships.length + k, scope)
                            && names.contains(concrete[k].type())) {
                        count++;
                    }
                }
            }
            return count;
        }
        ConcreteValue[] values = graph.concreteValues(concept);
        int offset = graph.attributes(concept).length;
        meter.charge(1 + values.length);
        for (int k = 0; k < values.length && count <= max; k++) {
            ConcreteValue value = values[k];
            if (inScope(value.group(), offset + k, scope) && names.contains(value.type())
                    && ConcreteComparison.matches(value.value(), attribute.comparison(), attribute.value())) {
                count++;
            }
        }
        return count;
    }

    /** Compares a concrete value from the graph with the value a constraint gives. */
    static final class ConcreteComparison {

        private ConcreteComparison() {
        }

        static boolean matches(Object actual, Refinement.Comparison comparison, Refinement.Value wanted) {
            Integer order = switch (wanted) {
                case Refinement.NumberValue number -> {
                    BigDecimal value = number(actual);
                    yield value == null ? null : value.compareTo(number.number());
                }
                case Refinement.StringValue string -> {
                    String value = string(actual);
                    yield value == null ? null : (value.equals(string.text()) ? 0 : 1);
                }
                case Refinement.BooleanValue truth -> {
                    Boolean value = truth(actual);
                    yield value == null ? null : (value == truth.value() ? 0 : 1);
                }
                case Refinement.ConceptValue concepts -> null;
            };
            if (order == null) {
                return false; // a value of another type neither equals nor differs from this one: it is not compared
            }
            return switch (comparison) {
                case EQUAL -> order == 0;
                case NOT_EQUAL -> order != 0;
                case LESS -> order < 0;
                case LESS_OR_EQUAL -> order <= 0;
                case GREATER -> order > 0;
                case GREATER_OR_EQUAL -> order >= 0;
            };
        }

        /** Numbers may come as any {@link Number}, or as RF2 text ({@code #500}). */
        static BigDecimal number(Object value) {
            return switch (value) {
                case BigDecimal decimal -> decimal;
                case Integer i -> BigDecimal.valueOf(i);
                case Long l -> BigDecimal.valueOf(l);
                case Short s -> BigDecimal.valueOf(s);
                case Byte b -> BigDecimal.valueOf(b);
                case Number other -> parse(other.toString());
                case String text when text.startsWith("#") -> parse(text.substring(1));
                case null, default -> null;
            };
        }

        private static BigDecimal parse(String text) {
            try {
                return new BigDecimal(text.strip());
            } catch (NumberFormatException notNumber) {
                return null;
            }
        }

        /** Strings may come bare or as RF2 text in quotes. */
        static String string(Object value) {
            if (!(value instanceof String text)) {
                return null;
            }
            if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                return text.substring(1, text.length() - 1);
            }
            return text.startsWith("#") ? null : text;
        }

        static Boolean truth(Object value) {
            return switch (value) {
                case Boolean b -> b;
                case String text when text.equalsIgnoreCase("true") -> Boolean.TRUE;
                case String text when text.equalsIgnoreCase("false") -> Boolean.FALSE;
                case null, default -> null;
            };
        }
    }
}
