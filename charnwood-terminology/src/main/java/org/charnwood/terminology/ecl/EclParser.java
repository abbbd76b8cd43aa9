package org.charnwood.terminology.ecl;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent reader for ECL 2.x, straight over the characters (no separate lexer) so that every error can
 * name the exact position. Where the grammar leaves AND and OR (or MINUS) side by side without brackets it refuses,
 * as the specification requires, instead of picking a precedence.
 */
final class EclParser {

    private static final int MAX_SCTID_DIGITS = 18;
    private static final int MIN_SCTID_DIGITS = 6;
    /** Bracket nesting deeper than this is refused rather than risking the parser's stack. */
    private static final int MAX_DEPTH = 200;

    private final String text;
    private int pos;
    private int depth;

    private EclParser(String text) {
        this.text = text;
    }

    static Constraint parse(String text) {
        EclParser parser = new EclParser(text);
        parser.space();
        if (parser.atEnd()) {
            throw parser.error("expected an expression constraint");
        }
        Constraint constraint = parser.expressionConstraint();
        parser.space();
        if (!parser.atEnd()) {
            throw parser.error("expected end of expression constraint");
        }
        return constraint;
    }

    // ---- expression constraints ------------------------------------------------------------------------------

    private Constraint expressionConstraint() {
        enter();
        try {
            Constraint first = subExpression();
            space();
            if (peek() == ':') {
                pos++;
                space();
                return new Constraint.Refined(first, refinement(false));
            }
            if (peek() == '.') {
                Constraint dotted = first;
                while (peek() == '.') {
                    pos++;
                    space();
                    dotted = new Constraint.Dotted(dotted, subExpression());
                    space();
                }
                return dotted;
            }
            Operator operator = operatorHere();
            if (operator == null) {
                return first;
            }
            List<Constraint> operands = new ArrayList<>();
            operands.add(first);
            while (true) {
                skip(operator);
                space();
                operands.add(subExpression());
                space();
                Operator next = operatorHere();
                if (next == null) {
                    break;
                }
                if (operator == Operator.MINUS || next != operator && !(operator.isAnd() && next.isAnd())) {
                    throw error(operator == Operator.MINUS && next == Operator.MINUS
                            ? "expected brackets around the first MINUS before another MINUS"
                            : "expected brackets: " + next.word + " cannot follow " + operator.word
                                    + " without them");
                }
            }
            if (operator == Operator.MINUS) {
                return new Constraint.Exclusion(operands.get(0), operands.get(1));
            }
            return new Constraint.Compound(operator.isAnd() ? Constraint.Logic.AND : Constraint.Logic.OR, operands);
        } finally {
            depth--;
        }
    }

    private Constraint subExpression() {
        space();
        Constraint.HierarchyOperator operator = hierarchyOperator();
        if (operator != null) {
            space();
            return new Constraint.Hierarchy(operator, memberOfOrFocus());
        }
        return memberOfOrFocus();
    }

    private Constraint.HierarchyOperator hierarchyOperator() {
        if (text.startsWith("!!>", pos)) {
            pos += 3;
            return Constraint.HierarchyOperator.TOP_OF;
        }
        if (text.startsWith("!!<", pos)) {
            pos += 3;
            return Constraint.HierarchyOperator.BOTTOM_OF;
        }
        char c = peek();
        if (c != '<' && c != '>') {
            return null;
        }
        boolean down = c == '<';
        pos++;
        boolean orSelf = peek() == c;
        if (orSelf) {
            pos++;
        }
        boolean direct = peek() == '!';
        if (direct) {
            pos++;
        }
        if (down) {
            return direct ? (orSelf ? Constraint.HierarchyOperator.CHILD_OR_SELF_OF : Constraint.HierarchyOperator.CHILD_OF)
                    : (orSelf ? Constraint.HierarchyOperator.DESCENDANT_OR_SELF_OF
                            : Constraint.HierarchyOperator.DESCENDANT_OF);
        }
        return direct ? (orSelf ? Constraint.HierarchyOperator.PARENT_OR_SELF_OF : Constraint.HierarchyOperator.PARENT_OF)
                : (orSelf ? Constraint.HierarchyOperator.ANCESTOR_OR_SELF_OF : Constraint.HierarchyOperator.ANCESTOR_OF);
    }

    private Constraint memberOfOrFocus() {
        if (peek() != '^') {
            return focus();
        }
        pos++;
        space();
        if (peek() == '[') {
            refsetFieldSelection();
            space();
        }
        return new Constraint.MemberOf(focus());
    }

    /** {@code ^ [referencedComponentId]} selects what plain {@code ^} already gives; other fields are refused. */
    private void refsetFieldSelection() {
        pos++;
        space();
        int start = pos;
        while (Character.isLetterOrDigit(peek())) {
            pos++;
        }
        String field = text.substring(start, pos);
        if (!field.equalsIgnoreCase("referencedComponentId")) {
            pos = start;
            throw error("expected 'referencedComponentId' (the only supported refset field)");
        }
        space();
        expect(']');
    }

    private Constraint focus() {
        char c = peek();
        Constraint focus;
        if (c == '*') {
            pos++;
            focus = new Constraint.AnyConcept();
        } else if (c == '(') {
            pos++;
            space();
            focus = expressionConstraint();
            space();
            expect(')');
        } else if (c >= '0' && c <= '9') {
            focus = conceptReference();
        } else {
            throw error("expected a concept id, '*' or '('");
        }
        int afterFocus = pos;
        space();
        if (text.startsWith("{{", pos)) {
            throw error("expected no filter: {{ }} filters are not supported");
        }
        pos = afterFocus;
        return focus;
    }

    private Constraint.ConceptReference conceptReference() {
        int start = pos;
        while (Character.isDigit(peek())) {
            pos++;
        }
        int digits = pos - start;
        if (digits < MIN_SCTID_DIGITS || digits > MAX_SCTID_DIGITS || text.charAt(start) == '0') {
            pos = start;
            throw error("expected an SCTID of 6 to 18 digits not starting with 0");
        }
        long id = Long.parseLong(text, start, pos, 10);
        int afterId = pos;
        space();
        String term = null;
        if (peek() == '|') {
            pos++;
            int termStart = pos;
            while (!atEnd() && peek() != '|') {
                pos++;
            }
            if (atEnd()) {
                throw error("expected '|' to close the term");
            }
            term = text.substring(termStart, pos).strip();
            pos++;
        } else {
            pos = afterId;
        }
        return new Constraint.ConceptReference(id, term);
    }

    // ---- refinements ---------------------------------------------------------------------------------------

    /**
     * A refinement, or (inside braces) an attribute set. ECL nests attribute sets inside refinements with separate
     * AND/OR levels; reading them as one level joined by a single kind of operator accepts the same constraints
     * apart from ones that would mix AND and OR without brackets, which are refused.
     */
    private Refinement refinement(boolean insideGroup) {
        enter();
        try {
            Refinement first = subRefinement(insideGroup);
            space();
            Operator operator = operatorHere();
            if (operator == null || operator == Operator.MINUS) {
                return first;
            }
            List<Refinement> operands = new ArrayList<>();
            operands.add(first);
            while (true) {
                skip(operator);
                space();
                operands.add(subRefinement(insideGroup));
                space();
                Operator next = operatorHere();
                if (next == null || next == Operator.MINUS) {
                    break;
                }
                if (next.isAnd() != operator.isAnd()) {
                    throw error("expected brackets: " + next.word + " cannot follow " + operator.word
                            + " in a refinement without them");
                }
            }
            return new Refinement.Combination(operator.isAnd() ? Constraint.Logic.AND : Constraint.Logic.OR,
                    operands);
        } finally {
            depth--;
        }
    }

    private Refinement subRefinement(boolean insideGroup) {
        space();
        char c = peek();
        if (c == '{' || c == '[' && groupFollowsCardinality()) {
            if (insideGroup) {
                throw error("expected an attribute: attribute groups cannot be nested");
            }
            return group();
        }
        if (c == '(') {
            // "(" opens either a bracketed refinement or an attribute whose name is a bracketed constraint.
            int start = pos;
            EclSyntaxException asRefinement;
            try {
                pos++;
                space();
                Refinement inner = refinement(insideGroup);
                space();
                expect(')');
                return inner;
            } catch (EclSyntaxException e) {
                asRefinement = e;
            }
            pos = start;
            try {
                return attribute(Refinement.Cardinality.AT_LEAST_ONE);
            } catch (EclSyntaxException asAttribute) {
                throw asAttribute.offset() > asRefinement.offset() ? asAttribute : asRefinement;
            }
        }
        Refinement.Cardinality cardinality = c == '[' ? cardinality() : Refinement.Cardinality.AT_LEAST_ONE;
        return attribute(cardinality);
    }

    private boolean groupFollowsCardinality() {
        int start = pos;
        try {
            cardinality();
            return peek() == '{';
        } catch (EclSyntaxException notCardinality) {
            return false;
        } finally {
            pos = start;
        }
    }

    private Refinement group() {
        Refinement.Cardinality cardinality = peek() == '[' ? cardinality() : Refinement.Cardinality.AT_LEAST_ONE;
        expect('{');
        space();
        Refinement attributes = refinement(true);
        space();
        expect('}');
        return new Refinement.Group(cardinality, attributes);
    }

    /** Reads {@code [min..max]} and the space after it. */
    private Refinement.Cardinality cardinality() {
        expect('[');
        space();
        int min = cardinalityNumber("expected a minimum cardinality");
        space();
        if (!text.startsWith("..", pos)) {
            throw error("expected '..'");
        }
        pos += 2;
        space();
        int max;
        int maxAt = pos;
        if (peek() == '*') {
            pos++;
            max = Refinement.Cardinality.MANY;
        } else {
            max = cardinalityNumber("expected a maximum cardinality or '*'");
        }
        if (max < min) {
            pos = maxAt;
            throw error("expected a maximum cardinality not below the minimum " + min);
        }
        space();
        expect(']');
        space();
        return new Refinement.Cardinality(min, max);
    }

    private int cardinalityNumber(String expected) {
        int start = pos;
        while (Character.isDigit(peek())) {
            pos++;
        }
        if (pos == start || pos - start > 9) {
            pos = start;
            throw error(expected);
        }
        return Integer.parseInt(text, start, pos, 10);
    }

    private Refinement attribute(Refinement.Cardinality cardinality) {
        space();
        boolean reverse = false;
        if (peek() == 'R' || peek() == 'r') {
            reverse = true;
            pos++;
            space();
        }
        Constraint name = subExpression();
        space();
        int comparisonAt = pos;
        Refinement.Comparison comparison = comparison();
        space();
        Refinement.Value value;
        char c = peek();
        if (c == '#') {
            if (reverse) {
                throw error("expected a concept value: a reversed attribute has no concrete value");
            }
            pos++;
            value = new Refinement.NumberValue(number());
        } else if (c == '"') {
            if (reverse) {
                throw error("expected a concept value: a reversed attribute has no concrete value");
            }
            value = new Refinement.StringValue(string());
            requireEquality(comparison, comparisonAt, "a string");
        } else if (keywordHere("true") || keywordHere("false")) {
            if (reverse) {
                throw error("expected a concept value: a reversed attribute has no concrete value");
            }
            boolean truth = keywordHere("true");
            pos += truth ? 4 : 5;
            value = new Refinement.BooleanValue(truth);
            requireEquality(comparison, comparisonAt, "a boolean");
        } else {
            if (comparison != Refinement.Comparison.EQUAL && comparison != Refinement.Comparison.NOT_EQUAL) {
                throw error("expected '#' and a number after " + comparison.symbol());
            }
            value = new Refinement.ConceptValue(subExpression());
        }
        return new Refinement.Attribute(cardinality, reverse, name, comparison, value);
    }

    private void requireEquality(Refinement.Comparison comparison, int at, String what) {
        if (comparison != Refinement.Comparison.EQUAL && comparison != Refinement.Comparison.NOT_EQUAL) {
            pos = at;
            throw error("expected '=' or '!=' before " + what);
        }
    }

    private Refinement.Comparison comparison() {
        if (text.startsWith("!=", pos)) {
            pos += 2;
            return Refinement.Comparison.NOT_EQUAL;
        }
        if (text.startsWith("<=", pos)) {
            pos += 2;
            return Refinement.Comparison.LESS_OR_EQUAL;
        }
        if (text.startsWith(">=", pos)) {
            pos += 2;
            return Refinement.Comparison.GREATER_OR_EQUAL;
        }
        switch (peek()) {
            case '=' -> {
                pos++;
                return Refinement.Comparison.EQUAL;
            }
            case '<' -> {
                pos++;
                return Refinement.Comparison.LESS;
            }
            case '>' -> {
                pos++;
                return Refinement.Comparison.GREATER;
            }
            default -> throw error("expected a comparison operator (=, !=, <, <=, >, >=)");
        }
    }

    private BigDecimal number() {
        int start = pos;
        if (peek() == '-' || peek() == '+') {
            pos++;
        }
        int digitsStart = pos;
        while (Character.isDigit(peek())) {
            pos++;
        }
        if (pos == digitsStart) {
            throw error("expected a number after '#'");
        }
        if (peek() == '.') {
            pos++;
            int fraction = pos;
            while (Character.isDigit(peek())) {
                pos++;
            }
            if (pos == fraction) {
                throw error("expected digits after the decimal point");
            }
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private String string() {
        pos++;
        StringBuilder value = new StringBuilder();
        while (!atEnd() && peek() != '"') {
            char c = text.charAt(pos++);
            if (c == '\\' && !atEnd()) {
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        if (atEnd()) {
            throw error("expected '\"' to close the string");
        }
        pos++;
        return value.toString();
    }

    // ---- words, spaces and errors --------------------------------------------------------------------------

    private enum Operator {
        AND("AND"), COMMA(","), OR("OR"), MINUS("MINUS");

        final String word;

        Operator(String word) {
            this.word = word;
        }

        boolean isAnd() {
            return this == AND || this == COMMA;
        }
    }

    private Operator operatorHere() {
        if (peek() == ',') {
            return Operator.COMMA;
        }
        if (keywordHere("and")) {
            return Operator.AND;
        }
        if (keywordHere("or")) {
            return Operator.OR;
        }
        if (keywordHere("minus")) {
            return Operator.MINUS;
        }
        return null;
    }

    private void skip(Operator operator) {
        pos += operator.word.length();
    }

    /** A keyword is matched in any case and must not run on into letters or digits ("ORANGE" is not OR). */
    private boolean keywordHere(String word) {
        if (!text.regionMatches(true, pos, word, 0, word.length())) {
            return false;
        }
        int after = pos + word.length();
        return after >= text.length() || !Character.isLetterOrDigit(text.charAt(after));
    }

    /** Skips white space and comments. */
    private void space() {
        while (!atEnd()) {
            char c = peek();
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (text.startsWith("/*", pos)) {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error("expected '*/' to close the comment");
                }
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("expected fewer than " + MAX_DEPTH + " levels of brackets");
        }
    }

    private EclSyntaxException error(String expected) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new EclSyntaxException(expected, found(), pos, line, pos - lineStart + 1);
    }

    private String found() {
        if (atEnd()) {
            return "end of input";
        }
        int end = pos;
        while (end < text.length() && end - pos < 12 && Character.isLetterOrDigit(text.charAt(end))) {
            end++;
        }
        if (end == pos) {
            end = pos + 1;
        }
        return "'" + text.substring(pos, end) + "'";
    }
}
