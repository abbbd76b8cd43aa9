package org.charnwood.terminology.ecl;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** The part of a refined constraint after the colon: attributes, attribute groups and their AND / OR. */
public sealed interface Refinement {

    /**
     * {@code [min..max] R name op value}. The cardinality is how many of a concept's relationships (of a type the
     * name allows) must match; {@code reverse} reads relationships pointing at the concept instead.
     */
    record Attribute(Cardinality cardinality, boolean reverse, Constraint name, Comparison comparison, Value value)
            implements Refinement {
        public Attribute {
            Objects.requireNonNull(cardinality);
            Objects.requireNonNull(name);
            Objects.requireNonNull(comparison);
            Objects.requireNonNull(value);
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** {@code [min..max] { attributes }}: the attributes must be satisfied within one relationship group. */
    record Group(Cardinality cardinality, Refinement attributes) implements Refinement {
        public Group {
            Objects.requireNonNull(cardinality);
            Objects.requireNonNull(attributes);
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** Two or more refinements joined by AND (or a comma) or by OR. */
    record Combination(Constraint.Logic logic, List<Refinement> operands) implements Refinement {
        public Combination {
            Objects.requireNonNull(logic);
            operands = List.copyOf(operands);
            if (operands.size() < 2) {
                throw new IllegalArgumentException("a combination needs two or more refinements");
            }
        }

        @Override
        public String toString() {
            return EclWriter.write(this);
        }
    }

    /** {@code [min..max]}; {@code max} is {@link #MANY} for {@code *}. */
    record Cardinality(int min, int max) {
        public static final int MANY = Integer.MAX_VALUE;
        /** What an attribute or group without a written cardinality means: at least one. */
        public static final Cardinality AT_LEAST_ONE = new Cardinality(1, MANY);

        public Cardinality {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("cardinality [" + min + ".." + max + "] is not a range");
            }
        }

        public boolean allows(int count) {
            return count >= min && count <= max;
        }

        @Override
        public String toString() {
            return "[" + min + ".." + (max == MANY ? "*" : Integer.toString(max)) + "]";
        }
    }

    /** The comparison between an attribute and its value. */
    enum Comparison {
        EQUAL("="), NOT_EQUAL("!="), LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** An attribute's value: concepts (an expression constraint) or a concrete value. */
    sealed interface Value {
    }

    /** Concepts, written as a sub-expression constraint. */
    record ConceptValue(Constraint constraint) implements Value {
        public ConceptValue {
            Objects.requireNonNull(constraint);
        }

        @Override
        public String toString() {
            return EclWriter.write(constraint);
        }
    }

    /** {@code #number}. Equal numbers compare equal whatever their scale ({@code #12.50} and {@code #12.5}). */
    record NumberValue(BigDecimal number) implements Value {
        public NumberValue {
            Objects.requireNonNull(number);
            number = number.signum() == 0 ? BigDecimal.ZERO : number.stripTrailingZeros();
        }

        @Override
        public String toString() {
            return "#" + number.toPlainString();
        }
    }

    /** {@code "text"}, compared exactly. */
    record StringValue(String text) implements Value {
        public StringValue {
            Objects.requireNonNull(text);
        }

        @Override
        public String toString() {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    /** {@code true} or {@code false}. */
    record BooleanValue(boolean value) implements Value {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }
}
