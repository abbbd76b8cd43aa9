package org.charnwood.terminology.ecl;

import java.util.List;
import java.util.Objects;

/**
 * An expression constraint: the syntax tree {@link Ecl#parse(String)} builds. Every node prints itself in the
 * normal form ({@link #toString()}), which parses back to an equal tree.
 */
public sealed interface Constraint {

    /** One concept by SCTID; the |term| is kept for display only and takes no part in equality or evaluation. */
    record ConceptReference(long conceptId, String term) implements Constraint {
        @Override
        public boolean equals(Object other) {
            return other instanceof ConceptReference reference && reference.conceptId == conceptId;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(conceptId);
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** {@code *}: every active concept. */
    record AnyConcept() implements Constraint {
        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** A hierarchy operator ({@code <}, {@code <<}, {@code >!} ...) applied to the concepts of its operand. */
    record Hierarchy(HierarchyOperator operator, Constraint operand) implements Constraint {
        public Hierarchy {
            Objects.requireNonNull(operator);
            Objects.requireNonNull(operand);
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** {@code ^ refsets}: the referenced components of every refset the operand yields. */
    record MemberOf(Constraint refsets) implements Constraint {
        public MemberOf {
            Objects.requireNonNull(refsets);
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** Two or more constraints joined by AND or by OR (ECL does not let the two mix without brackets). */
    record Compound(Logic logic, List<Constraint> operands) implements Constraint {
        public Compound {
            Objects.requireNonNull(logic);
            operands = List.copyOf(operands);
            if (operands.size() < 2) {
                throw new IllegalArgumentException("a compound constraint needs two or more operands");
            }
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** {@code included MINUS excluded}. */
    record Exclusion(Constraint included, Constraint excluded) implements Constraint {
        public Exclusion {
            Objects.requireNonNull(included);
            Objects.requireNonNull(excluded);
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** {@code focus : refinement}: the concepts of the focus whose attributes satisfy the refinement. */
    record Refined(Constraint focus, Refinement refinement) implements Constraint {
        public Refined {
            Objects.requireNonNull(focus);
            Objects.requireNonNull(refinement);
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** {@code source . attribute}: the values (targets) of the given attributes of the source concepts. */
    record Dotted(Constraint source, Constraint attribute) implements Constraint {
        public Dotted {
            Objects.requireNonNull(source);
            Objects.requireNonNull(attribute);
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** The hierarchy operators, with the symbol each is written as. */
    enum HierarchyOperator {
        DESCENDANT_OF("<"),
        DESCENDANT_OR_SELF_OF("<<"),
        CHILD_OF("<!"),
        CHILD_OR_SELF_OF("<<!"),
        ANCESTOR_OF(">"),
        ANCESTOR_OR_SELF_OF(">>"),
        PARENT_OF(">!"),
        PARENT_OR_SELF_OF(">>!"),
        /** {@code !!>}: the members of the operand that have no proper ancestor in it. */
        TOP_OF("!!>"),
        /** {@code !!<}: the members of the operand that have no proper descendant in it. */
        BOTTOM_OF("!!<");

        private final String symbol;

        HierarchyOperator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** How the operands of a compound constraint or refinement combine. */
    enum Logic {
        AND, OR
    }
}
