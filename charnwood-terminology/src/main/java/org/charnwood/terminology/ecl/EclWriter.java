package org.charnwood.terminology.ecl;

import java.util.List;

/**
 * Prints the syntax tree in the normal form: keywords in capitals, single spaces, SCTIDs without their terms and
 * brackets exactly where the grammar needs them. Two constraints that mean the same by construction (differing only
 * in terms, spacing, comments, keyword case or redundant brackets) print the same.
 */
final class EclWriter {

    private EclWriter() {
    }

    static String write(Constraint constraint) {
        StringBuilder out = new StringBuilder();
        constraint(constraint, out);
        return out.toString();
    }

    static String write(Refinement refinement) {
        StringBuilder out = new StringBuilder();
        refinement(refinement, out);
        return out.toString();
    }

    private static void constraint(Constraint constraint, StringBuilder out) {
        switch (constraint) {
            case Constraint.ConceptReference reference -> out.append(reference.conceptId());
            case Constraint.AnyConcept any -> out.append('*');
            case Constraint.Hierarchy hierarchy -> {
                out.append(hierarchy.operator().symbol()).append(' ');
                focus(hierarchy.operand(), true, out);
            }
            case Constraint.MemberOf memberOf -> {
                out.append("^ ");
                focus(memberOf.refsets(), false, out);
            }
            case Constraint.Compound compound -> joined(compound.operands(), " " + compound.logic() + " ", out);
            case Constraint.Exclusion exclusion -> joined(List.of(exclusion.included(), exclusion.excluded()),
                    " MINUS ", out);
            case Constraint.Refined refined -> {
                subExpression(refined.focus(), out);
                out.append(" : ");
                refinement(refined.refinement(), out);
            }
            case Constraint.Dotted dotted -> {
                if (dotted.source() instanceof Constraint.Dotted) {
                    constraint(dotted.source(), out);
                } else {
                    subExpression(dotted.source(), out);
                }
                out.append(" . ");
                subExpression(dotted.attribute(), out);
            }
        }
    }

    private static void joined(List<Constraint> operands, String separator, StringBuilder out) {
        for (int i = 0; i < operands.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            subExpression(operands.get(i), out);
        }
    }

    /** A position where the grammar takes a sub-expression constraint: an operator, member-of and focus. */
    private static void subExpression(Constraint constraint, StringBuilder out) {
        if (constraint instanceof Constraint.Hierarchy || constraint instanceof Constraint.MemberOf) {
            constraint(constraint, out);
        } else {
            focus(constraint, false, out);
        }
    }

    /** A focus concept position: a reference, a wildcard or a bracketed constraint (member-of too, after an operator). */
    private static void focus(Constraint constraint, boolean memberOfAllowed, StringBuilder out) {
        boolean bare = constraint instanceof Constraint.ConceptReference || constraint instanceof Constraint.AnyConcept
                || (memberOfAllowed && constraint instanceof Constraint.MemberOf);
        if (bare) {
            constraint(constraint, out);
        } else {
            out.append('(');
            constraint(constraint, out);
            out.append(')');
        }
    }

    private static void refinement(Refinement refinement, StringBuilder out) {
        switch (refinement) {
            case Refinement.Attribute attribute -> {
                cardinality(attribute.cardinality(), out);
                if (attribute.reverse()) {
                    out.append("R ");
                }
                subExpression(attribute.name(), out);
                out.append(' ').append(attribute.comparison().symbol()).append(' ');
                if (attribute.value() instanceof Refinement.ConceptValue value) {
                    subExpression(value.constraint(), out);
                } else {
                    out.append(attribute.value());
                }
            }
            case Refinement.Group group -> {
                cardinality(group.cardinality(), out);
                out.append("{ ");
                refinement(group.attributes(), out);
                out.append(" }");
            }
            case Refinement.Combination combination -> {
                List<Refinement> operands = combination.operands();
                for (int i = 0; i < operands.size(); i++) {
                    if (i > 0) {
                        out.append(combination.logic() == Constraint.Logic.AND ? ", " : " OR ");
                    }
                    Refinement operand = operands.get(i);
                    if (operand instanceof Refinement.Combination) {
                        out.append('(');
                        refinement(operand, out);
                        out.append(')');
                    } else {
                        refinement(operand, out);
                    }
                }
            }
        }
    }

    private static void cardinality(Refinement.Cardinality cardinality, StringBuilder out) {
        if (!cardinality.equals(Refinement.Cardinality.AT_LEAST_ONE)) {
            out.append(cardinality).append(' ');
        }
    }
}
