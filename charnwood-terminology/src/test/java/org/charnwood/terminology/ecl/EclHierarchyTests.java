package org.charnwood.terminology.ecl;

import static org.charnwood.terminology.ecl.EclAssertions.assertEcl;
import static org.charnwood.terminology.ecl.ExampleTerminology.*;

import org.junit.jupiter.api.Test;

class EclHierarchyTests {

    private final TestConceptGraph graph = ExampleTerminology.graph();

    @Test
    void conceptReferenceOnItsOwnIsThatConcept() {
        assertEcl(graph, "100005 |Infarction|", INFARCTION);
    }

    @Test
    void selfOfAnInactiveConceptIsThatConcept() {
        assertEcl(graph, "100009 |Retired|", RETIRED);
    }

    @Test
    void conceptMissingFromTheReleaseMatchesNothing() {
        assertEcl(graph, "999999");
        assertEcl(graph, "<< 999999");
    }

    @Test
    void descendantOfExcludesTheConceptItself() {
        assertEcl(graph, "< 100003 |Disease|", HEART_DISEASE, INFARCTION, CARDIOPULMONARY, LUNG_DISEASE);
    }

    @Test
    void descendantOrSelfOfIncludesTheConceptItself() {
        assertEcl(graph, "<< 100003 |Disease|", DISEASE, HEART_DISEASE, INFARCTION, CARDIOPULMONARY, LUNG_DISEASE);
    }

    @Test
    void childOfIsOnlyTheDirectChildren() {
        assertEcl(graph, "<! 100003 |Disease|", HEART_DISEASE, LUNG_DISEASE);
    }

    @Test
    void childOrSelfOfAddsTheConceptItself() {
        assertEcl(graph, "<<! 100003 |Disease|", DISEASE, HEART_DISEASE, LUNG_DISEASE);
    }

    @Test
    void ancestorOfFollowsEveryParent() {
        assertEcl(graph, "> 100006 |Cardiopulmonary|", HEART_DISEASE, LUNG_DISEASE, DISEASE, FINDING, ROOT);
    }

    @Test
    void ancestorOrSelfOfIncludesTheConceptItself() {
        assertEcl(graph, ">> 100006 |Cardiopulmonary|", CARDIOPULMONARY, HEART_DISEASE, LUNG_DISEASE, DISEASE,
                FINDING, ROOT);
    }

    @Test
    void parentOfIsOnlyTheDirectParents() {
        assertEcl(graph, ">! 100006 |Cardiopulmonary|", HEART_DISEASE, LUNG_DISEASE);
    }

    @Test
    void parentOrSelfOfAddsTheConceptItself() {
        assertEcl(graph, ">>! 100006 |Cardiopulmonary|", CARDIOPULMONARY, HEART_DISEASE, LUNG_DISEASE);
    }

    @Test
    void hierarchyOperatorsOnAnInactiveConceptMatchNothing() {
        assertEcl(graph, "< 100009");
        assertEcl(graph, "<< 100009");
        assertEcl(graph, ">> 100009");
        assertEcl(graph, "<<! 100009");
    }

    @Test
    void hierarchyOperatorAppliesToEveryConceptOfABracketedOperand() {
        assertEcl(graph, "<! (100004 |Heart disease| OR 100020 |Body structure|)", INFARCTION, CARDIOPULMONARY,
                HEART, LUNG);
        assertEcl(graph, ">! (100005 OR 100022)", HEART_DISEASE, BODY_STRUCTURE);
    }

    @Test
    void hierarchyOperatorsNest() {
        assertEcl(graph, "< (<! 100003)", INFARCTION, CARDIOPULMONARY);
    }

    @Test
    void deeplyNestedHierarchyOperatorsStayCheapForOneConcept() {
        EclExpression nested = Ecl.parse("< (< (< (< (< (< (< (< (< (< 100001)))))))))");
        // Three levels or more below the root.
        assertEcl(graph, "< (< (< 100001))", HEART_DISEASE, INFARCTION, CARDIOPULMONARY, LUNG_DISEASE,
                PRIMARY_SITE);
        org.assertj.core.api.Assertions.assertThat(nested.matches(graph, graph.index(CARDIOPULMONARY),
                EclBudget.standard().withMaxWorkUnits(10_000))).isFalse();
    }

    @Test
    void topOfKeepsOnlyConceptsWithNoAncestorInTheSet() {
        assertEcl(graph, "!!> (< 100002 |Finding|)", DISEASE, FEVER);
    }

    @Test
    void bottomOfKeepsOnlyConceptsWithNoDescendantInTheSet() {
        assertEcl(graph, "!!< (< 100002 |Finding|)", INFARCTION, CARDIOPULMONARY, FEVER);
    }

    @Test
    void memberOfGivesEveryMemberIncludingInactiveOnes() {
        assertEcl(graph, "^ 100061 |Problem list|", INFARCTION, FEVER, RETIRED);
    }

    @Test
    void memberOfAnExpressionUnitesTheMembersOfEveryRefsetItGives() {
        assertEcl(graph, "^ (< 100060 |Refset|)", INFARCTION, FEVER, RETIRED, HEART);
    }

    @Test
    void memberOfAnyRefsetUsesTheWildcard() {
        assertEcl(graph, "^ *", INFARCTION, FEVER, RETIRED, HEART);
    }

    @Test
    void memberOfAConceptThatIsNotARefsetMatchesNothing() {
        assertEcl(graph, "^ 100003");
    }

    @Test
    void memberOfWithTheReferencedComponentFieldIsPlainMemberOf() {
        assertEcl(graph, "^ [referencedComponentId] 100062", HEART, INFARCTION);
    }

    @Test
    void hierarchyOperatorOverMemberOfSkipsInactiveMembers() {
        assertEcl(graph, "<< ^ 100061", INFARCTION, FEVER);
    }

    @Test
    void wildcardIsEveryActiveConcept() {
        long[] everyActive = graph.idsWhere(graph::active);
        assertEcl(graph, "*", everyActive);
    }

    @Test
    void conjunctionKeepsConceptsInBothSets() {
        assertEcl(graph, "< 100003 AND ^ 100061", INFARCTION);
    }

    @Test
    void commaIsAConjunction() {
        assertEcl(graph, "< 100003 , ^ 100061", INFARCTION);
    }

    @Test
    void disjunctionKeepsConceptsInEitherSet() {
        assertEcl(graph, "< 100003 OR 100008", HEART_DISEASE, INFARCTION, CARDIOPULMONARY, LUNG_DISEASE, FEVER);
    }

    @Test
    void exclusionRemovesTheSecondSet() {
        assertEcl(graph, "< 100003 MINUS << 100004", LUNG_DISEASE);
    }

    @Test
    void longerConjunctionsAndDisjunctionsNeedNoBrackets() {
        assertEcl(graph, "<< 100002 AND < 100003 AND ^ 100061", INFARCTION);
        assertEcl(graph, "100005 OR 100008 OR 100021", INFARCTION, FEVER, HEART);
    }

    @Test
    void bracketsMixConjunctionAndDisjunction() {
        assertEcl(graph, "(< 100003 OR 100008) AND ^ 100061", INFARCTION, FEVER);
        assertEcl(graph, "< 100003 OR (100008 AND ^ 100061)", HEART_DISEASE, INFARCTION, CARDIOPULMONARY,
                LUNG_DISEASE, FEVER);
        assertEcl(graph, "(< 100002 MINUS << 100004) MINUS 100008", DISEASE, LUNG_DISEASE);
    }

    @Test
    void keywordsAreCaseInsensitiveAndCommentsAreIgnored() {
        assertEcl(graph, "/* diseases */ < 100003 and /* on the list */ ^ 100061", INFARCTION);
        assertEcl(graph, "< 100003 MiNuS << 100004", LUNG_DISEASE);
        assertEcl(graph, "100005 or 100008", INFARCTION, FEVER);
    }
}
