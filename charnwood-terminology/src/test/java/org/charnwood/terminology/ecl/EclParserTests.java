package org.charnwood.terminology.ecl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EclParserTests {

    private static EclSyntaxException syntaxError(String ecl) {
        EclSyntaxException error = catchThrowableOfType(EclSyntaxException.class, () -> Ecl.parse(ecl));
        assertThat(error).as("syntax error for %s", ecl).isNotNull();
        return error;
    }

    @Test
    void missingClosingBracketIsReportedAtTheEndWithLineColumnAndOffset() {
        EclSyntaxException error = syntaxError("(< 100003 OR 100008 ");
        assertThat(error.getMessage()).isEqualTo(
                "expected ')' at line 1, column 21 (offset 20), found end of input");
        assertThat(error.offset()).isEqualTo(20);
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.column()).isEqualTo(21);
        assertThat(error.expected()).isEqualTo("expected ')'");
    }

    @Test
    void unexpectedTokenInsideBracketsIsReportedWhereItStands() {
        EclSyntaxException error = syntaxError("< (100003 100008)");
        assertThat(error.getMessage()).isEqualTo("expected ')' at line 1, column 11 (offset 10), found '100008'");
    }

    @Test
    void positionCountsLinesAndColumnsAcrossLineBreaks() {
        EclSyntaxException error = syntaxError("< 100003 |Disease|\n  AND (<< 100004\n   OR )");
        assertThat(error.line()).isEqualTo(3);
        assertThat(error.column()).isEqualTo(7);
        assertThat(error.offset()).isEqualTo(42);
        assertThat(error.getMessage()).startsWith("expected a concept id, '*' or '(' at line 3, column 7");
    }

    @Test
    void mixingAndWithOrWithoutBracketsIsAnError() {
        EclSyntaxException error = syntaxError("< 100003 AND < 100004 OR 100008");
        assertThat(error.offset()).isEqualTo(22);
        assertThat(error.getMessage()).contains("OR cannot follow AND");
        assertThat(syntaxError("100003 OR 100004, 100005").getMessage()).contains(", cannot follow OR");
    }

    @Test
    void minusCannotBeChainedOrMixedWithoutBrackets() {
        assertThat(syntaxError("< 100003 MINUS 100004 MINUS 100005").offset()).isEqualTo(22);
        assertThat(syntaxError("< 100003 AND 100004 MINUS 100005").offset()).isEqualTo(20);
        assertThat(syntaxError("< 100003 MINUS 100004 OR 100005").offset()).isEqualTo(22);
    }

    @Test
    void mixingAndWithOrInARefinementWithoutBracketsIsAnError() {
        EclSyntaxException error = syntaxError("< 100003 : 100051 = 100021, 100052 = * OR 100052 = 100031");
        assertThat(error.offset()).isEqualTo(39);
        assertThat(error.getMessage()).contains("OR cannot follow ,");
    }

    @Test
    void emptyTextIsAnError() {
        assertThat(syntaxError("  /* nothing */ ").getMessage()).startsWith("expected an expression constraint");
    }

    @Test
    void trailingTextIsAnError() {
        assertThat(syntaxError("< 100003 100004").offset()).isEqualTo(9);
    }

    @Test
    void unterminatedTermStringAndCommentAreErrors() {
        assertThat(syntaxError("< 100003 |Disease").expected()).isEqualTo("expected '|' to close the term");
        assertThat(syntaxError("< 100003 : 100054 = \"tab").expected()).isEqualTo(
                "expected '\"' to close the string");
        assertThat(syntaxError("< 100003 /* open").expected()).isEqualTo("expected '*/' to close the comment");
    }

    @Test
    void conceptIdentifiersMustLookLikeSctids() {
        assertThat(syntaxError("< 1234").offset()).isEqualTo(2);
        assertThat(syntaxError("< 0123456").offset()).isEqualTo(2);
        assertThat(syntaxError("< 1234567890123456789").offset()).isEqualTo(2);
    }

    @Test
    void cardinalityMaximumBelowMinimumIsAnError() {
        EclSyntaxException error = syntaxError("< 100003 : [2..1] 100052 = *");
        assertThat(error.offset()).isEqualTo(15);
        assertThat(error.getMessage()).contains("not below the minimum 2");
    }

    @Test
    void orderingComparisonNeedsANumber() {
        assertThat(syntaxError("< 100040 : 100053 < 100031").expected()).isEqualTo(
                "expected '#' and a number after <");
        assertThat(syntaxError("< 100040 : 100054 > \"tablet\"").expected()).isEqualTo(
                "expected '=' or '!=' before a string");
    }

    @Test
    void reverseAttributeCannotHaveAConcreteValue() {
        assertThat(syntaxError("* : R 100053 = #5").offset()).isEqualTo(15);
    }

    @Test
    void attributeGroupsCannotNest() {
        assertThat(syntaxError("* : { 100051 = *, { 100052 = * } }").offset()).isEqualTo(18);
    }

    @Test
    void filtersAreRefusedAsUnsupported() {
        assertThat(syntaxError("< 100003 {{ term = \"heart\" }}").getMessage()).contains("filters are not supported");
    }

    @Test
    void refsetFieldsOtherThanTheReferencedComponentAreRefused() {
        assertThat(syntaxError("^ [targetComponentId] 100061").offset()).isEqualTo(3);
    }

    @Test
    void missingComparisonInAnAttributeIsReported() {
        EclSyntaxException error = syntaxError("< 100003 : 100051 100021");
        assertThat(error.offset()).isEqualTo(18);
        assertThat(error.expected()).startsWith("expected a comparison operator");
    }

    @Test
    void deeplyNestedBracketsAreRefusedRatherThanOverflowingTheStack() {
        String deep = "(".repeat(5000) + "100003" + ")".repeat(5000);
        assertThat(syntaxError(deep).expected()).contains("levels of brackets");
    }

    @Test
    void unclosedBracketsInARefinementFailWithoutBacktrackingForever() {
        EclSyntaxException error = syntaxError("* : " + "(".repeat(150) + "100051 = 100021");
        assertThat(error.expected()).isEqualTo("expected ')'");
        assertThat(error.offset()).isEqualTo(4 + 150 + 15);
    }

    @Test
    void parsesHierarchyOperatorsToTheirTreeNodes() {
        assertThat(Ecl.parse("<<! 100003").constraint()).isEqualTo(new Constraint.Hierarchy(
                Constraint.HierarchyOperator.CHILD_OR_SELF_OF, new Constraint.ConceptReference(100003, null)));
        assertThat(Ecl.parse(">>! 100003").constraint()).isEqualTo(new Constraint.Hierarchy(
                Constraint.HierarchyOperator.PARENT_OR_SELF_OF, new Constraint.ConceptReference(100003, null)));
        assertThat(Ecl.parse("<!100003").constraint()).isEqualTo(new Constraint.Hierarchy(
                Constraint.HierarchyOperator.CHILD_OF, new Constraint.ConceptReference(100003, null)));
    }

    @Test
    void keepsTheTermButIgnoresItForEquality() {
        Constraint.ConceptReference reference = (Constraint.ConceptReference) Ecl.parse("100003 | Disease |")
                .constraint();
        assertThat(reference.term()).isEqualTo("Disease");
        assertThat(reference).isEqualTo(new Constraint.ConceptReference(100003, "Something else"));
    }

    @Test
    void parsesAFullRefinementToTheExpectedTree() {
        Constraint parsed = Ecl.parse("< 100002 : [0..1] { R << 100051 != (100021 OR 100022), 100053 >= #12.50 }")
                .constraint();
        Constraint site = new Constraint.Hierarchy(Constraint.HierarchyOperator.DESCENDANT_OR_SELF_OF,
                new Constraint.ConceptReference(100051, null));
        Constraint sites = new Constraint.Compound(Constraint.Logic.OR,
                List.of(new Constraint.ConceptReference(100021, null), new Constraint.ConceptReference(100022, null)));
        Refinement expected = new Refinement.Group(new Refinement.Cardinality(0, 1),
                new Refinement.Combination(Constraint.Logic.AND, List.of(
                        new Refinement.Attribute(Refinement.Cardinality.AT_LEAST_ONE, true, site,
                                Refinement.Comparison.NOT_EQUAL, new Refinement.ConceptValue(sites)),
                        new Refinement.Attribute(Refinement.Cardinality.AT_LEAST_ONE, false,
                                new Constraint.ConceptReference(100053, null),
                                Refinement.Comparison.GREATER_OR_EQUAL,
                                new Refinement.NumberValue(new BigDecimal("12.5"))))));
        assertThat(parsed).isEqualTo(new Constraint.Refined(new Constraint.Hierarchy(
                Constraint.HierarchyOperator.DESCENDANT_OF, new Constraint.ConceptReference(100002, null)), expected));
    }

    @Test
    void bracketedAttributeNameIsNotMistakenForABracketedRefinement() {
        Constraint parsed = Ecl.parse("* : (100051 OR 100052) = 100031").constraint();
        assertThat(parsed.toString()).isEqualTo("* : (100051 OR 100052) = 100031");
        assertThat(Ecl.parse("* : (100051 = 100021 OR 100052 = 100031)").toString())
                .isEqualTo("* : 100051 = 100021 OR 100052 = 100031");
    }

    @Test
    void normalFormUsesCapitalKeywordsSingleSpacesAndNoTerms() {
        assertThat(Ecl.parse("  <<100003|Disease|   and/* c */^100061 ").toString())
                .isEqualTo("<< 100003 AND ^ 100061");
        assertThat(Ecl.parse("<100002:[1..*]100051=100021,[0..0]{100052=*}").toString())
                .isEqualTo("< 100002 : 100051 = 100021, [0..0] { 100052 = * }");
        assertThat(Ecl.parse("< 100040 : 100053 = #500.00, 100054 != \"a \\\"b\\\"\", 100056 = TRUE").toString())
                .isEqualTo("< 100040 : 100053 = #500, 100054 != \"a \\\"b\\\"\", 100056 = true");
        assertThat(Ecl.parse("(((100003)))").toString()).isEqualTo("100003");
        assertThat(Ecl.parse("<< 100003 . 100051 . 116680003").toString())
                .isEqualTo("<< 100003 . 100051 . 116680003");
        assertThat(Ecl.parse("!!> (< 100002)").toString()).isEqualTo("!!> (< 100002)");
        assertThat(Ecl.parse("< ^ 100061").toString()).isEqualTo("< ^ 100061");
    }

    @Test
    void expressionsWithTheSameNormalFormAreEqual() {
        assertThat(Ecl.parse("<< 100003 |Disease| or 100008")).isEqualTo(Ecl.parse("<<100003 OR 100008 |Fever|"));
        assertThat(Ecl.parse("<< 100003")).isNotEqualTo(Ecl.parse("< 100003"));
        assertThat(Ecl.parse("<< 100003 |Disease|").source()).isEqualTo("<< 100003 |Disease|");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "*",
            "<< 100003 MINUS (< 100004 OR ^ 100061)",
            "(< 100003 AND ^ 100061) OR 100008",
            "!!< (<< 100002 : 100052 = *)",
            "< 100002 : (100051 = 100021 OR 100052 = 100032), [2..*] { << 100051 = * }",
            "< 100002 : 100051 = (< 100020 : R 100051 = *)",
            "(< 100003 . 100051) . 116680003",
            "^ [referencedComponentId] (<< 100060)",
            "* : R 100051 = 100005, 100053 < #-0.5",
            "< 100002 : { 100051 = 100021 } OR { 100052 = 100031 }"})
    void normalFormParsesBackToTheSameTree(String ecl) {
        EclExpression expression = Ecl.parse(ecl);
        EclExpression reparsed = Ecl.parse(expression.toString());
        assertThat(reparsed.constraint()).isEqualTo(expression.constraint());
        assertThat(reparsed.toString()).isEqualTo(expression.toString());
    }

    @Test
    void treeBuiltInCodeBecomesAnExpression() {
        EclExpression expression = Ecl.of(new Constraint.Hierarchy(Constraint.HierarchyOperator.DESCENDANT_OF,
                new Constraint.ConceptReference(100003, "Disease")));
        assertThat(expression.toString()).isEqualTo("< 100003");
        assertThat(expression).isEqualTo(Ecl.parse("< 100003 |Disease|"));
    }

    @Test
    void refusesNullText() {
        assertThatThrownBy(() -> Ecl.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
