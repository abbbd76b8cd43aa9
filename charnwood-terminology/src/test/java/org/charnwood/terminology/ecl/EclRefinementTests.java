package org.charnwood.terminology.ecl;

import static org.charnwood.terminology.ecl.EclAssertions.assertEcl;
import static org.charnwood.terminology.ecl.ExampleTerminology.*;

import org.junit.jupiter.api.Test;

class EclRefinementTests {

    private final TestConceptGraph graph = ExampleTerminology.graph();

    @Test
    void attributeEqualsMatchesTheExactAttributeTypeAndValue() {
        assertEcl(graph, "< 100002 |Finding| : 100051 |Finding site| = 100021 |Heart|", HEART_DISEASE, INFARCTION,
                CARDIOPULMONARY);
    }

    @Test
    void attributeNameDoesNotIncludeItsSubtypesUnlessAsked() {
        assertEcl(graph, "< 100002 : 100051 |Finding site| = 100022 |Lung|");
        assertEcl(graph, "< 100002 : << 100051 |Finding site| = 100022 |Lung|", CARDIOPULMONARY, LUNG_DISEASE);
    }

    @Test
    void attributeValueCanBeAHierarchyConstraint() {
        assertEcl(graph, "< 100002 : 100051 = << 100020 |Body structure|", HEART_DISEASE, INFARCTION,
                CARDIOPULMONARY);
    }

    @Test
    void notEqualsNeedsOneMatchingAttributeWithAValueOutsideTheSet() {
        // CARDIOPULMONARY has an infarct too, but also an inflammation, which is enough.
        assertEcl(graph, "< 100002 : 100052 |Morphology| != 100031 |Infarct|", CARDIOPULMONARY, LUNG_DISEASE);
    }

    @Test
    void cardinalityZeroToZeroMeansNoSuchAttribute() {
        assertEcl(graph, "< 100003 : [0..0] 100052 = 100031 |Infarct|", HEART_DISEASE, LUNG_DISEASE);
    }

    @Test
    void cardinalityFromZeroIsSatisfiedByConceptsWithoutTheAttribute() {
        assertEcl(graph, "< 100002 : [0..*] 100052 = *", DISEASE, HEART_DISEASE, INFARCTION, CARDIOPULMONARY,
                LUNG_DISEASE, FEVER);
        assertEcl(graph, "< 100003 : [0..1] << 100051 = *", HEART_DISEASE, INFARCTION, LUNG_DISEASE);
    }

    @Test
    void cardinalityCountsMatchingRelationshipsAcrossGroups() {
        assertEcl(graph, "< 100003 : [2..*] << 100051 = << 100020", CARDIOPULMONARY);
        assertEcl(graph, "< 100003 : [1..1] 100052 = *", INFARCTION, LUNG_DISEASE);
    }

    @Test
    void attributeWithoutCardinalityNeedsAtLeastOne() {
        assertEcl(graph, "< 100003 : 100052 = *", INFARCTION, CARDIOPULMONARY, LUNG_DISEASE);
    }

    @Test
    void wildcardAttributeNameMatchesAnyAttribute() {
        assertEcl(graph, "< 100002 : * = 100032 |Inflammation|", CARDIOPULMONARY, LUNG_DISEASE);
        assertEcl(graph, "< 100002 : * = *", HEART_DISEASE, INFARCTION, CARDIOPULMONARY, LUNG_DISEASE);
    }

    @Test
    void wildcardAttributeNameLeavesIsAToTheHierarchyOperators() {
        assertEcl(graph, "< 100003 : [0..0] * = *");
    }

    @Test
    void attributeNameCanBeANestedExpression() {
        assertEcl(graph, "< 100002 : (100051 OR 100052) = 100031", INFARCTION, CARDIOPULMONARY);
    }

    @Test
    void attributeValueCanBeANestedExpression() {
        assertEcl(graph, "< 100002 : << 100051 = (<< 100020 MINUS 100021)", CARDIOPULMONARY, LUNG_DISEASE);
        assertEcl(graph, "* : R << 100051 = (< 100003 : 100052 = 100031)", HEART, LUNG);
    }

    @Test
    void commaAndAndJoinAttributesThatMustAllHold() {
        assertEcl(graph, "< 100002 : 100051 = 100021, 100052 = 100032", CARDIOPULMONARY);
        assertEcl(graph, "< 100002 : 100051 = 100021 AND 100052 = 100032", CARDIOPULMONARY);
    }

    @Test
    void orJoinsAttributesOfWhichOneMustHold() {
        assertEcl(graph, "< 100003 : 100052 = 100031 OR << 100051 = 100022", INFARCTION, CARDIOPULMONARY,
                LUNG_DISEASE);
    }

    @Test
    void bracketsMixAttributeConjunctionAndDisjunction() {
        assertEcl(graph, "< 100003 : (100052 = 100031 OR 100052 = 100032), 100051 = 100021", INFARCTION,
                CARDIOPULMONARY);
    }

    @Test
    void groupNeedsItsAttributesInTheSameRelationshipGroup() {
        // CARDIOPULMONARY has heart (group 1) and inflammation (group 2), never together.
        assertEcl(graph, "< 100002 : { 100051 = 100021, 100052 = 100032 }");
        assertEcl(graph, "< 100002 : { << 100051 = 100022, 100052 = 100032 }", CARDIOPULMONARY);
    }

    @Test
    void ungroupedRelationshipsAreEachAGroupOfTheirOwn() {
        // LUNG_DISEASE has both attributes, but ungrouped, so no one group holds both.
        assertEcl(graph, "< 100002 : << 100051 = 100022, 100052 = 100032", CARDIOPULMONARY, LUNG_DISEASE);
        assertEcl(graph, "< 100002 : { << 100051 = 100022 }", CARDIOPULMONARY, LUNG_DISEASE);
    }

    @Test
    void groupCardinalityCountsMatchingGroups() {
        assertEcl(graph, "< 100003 : [2..*] { << 100051 = * }", CARDIOPULMONARY);
        assertEcl(graph, "< 100003 : [1..1] { << 100051 = * }", HEART_DISEASE, INFARCTION, LUNG_DISEASE);
        assertEcl(graph, "< 100003 : [0..0] { 100052 = * }", HEART_DISEASE);
    }

    @Test
    void groupsCombineWithAttributesAndOtherGroups() {
        assertEcl(graph, "< 100003 : { 100051 = 100021 }, { 100052 = 100032 }", CARDIOPULMONARY);
        assertEcl(graph, "< 100003 : 100052 = 100032, { 100051 = 100021 }", CARDIOPULMONARY);
        // LUNG_DISEASE's ungrouped inflammation is a group of its own.
        assertEcl(graph, "< 100003 : { 100052 = 100032 } OR [0..0] 100052 = *", HEART_DISEASE, CARDIOPULMONARY,
                LUNG_DISEASE);
    }

    @Test
    void reverseAttributeMatchesConceptsThatAreTheValue() {
        assertEcl(graph, "< 100020 |Body structure| : R 100051 |Finding site| = < 100003", HEART);
        assertEcl(graph, "< 100020 : R << 100051 = *", HEART, LUNG);
    }

    @Test
    void reverseAttributeCardinalityCountsPointingRelationships() {
        assertEcl(graph, "* : [2..*] R << 100051 = *", HEART, LUNG);
        assertEcl(graph, "* : [3..*] R << 100051 = *", HEART);
        assertEcl(graph, "< 100020 : [0..0] R 100051 = *", LUNG);
    }

    @Test
    void dottedAttributeGivesTheValuesOfTheSourceConcepts() {
        assertEcl(graph, "< 100003 . 100051 |Finding site|", HEART);
        assertEcl(graph, "<< 100003 . << 100051", HEART, LUNG);
        assertEcl(graph, "100006 . 100052", INFARCT, INFLAMMATION);
    }

    @Test
    void dottedAttributesChain() {
        assertEcl(graph, "100006 . 100052 . 116680003 |Is a|", MORPHOLOGY_ROOT);
    }

    @Test
    void isACanBeUsedAsAnAttribute() {
        assertEcl(graph, "* : 116680003 |Is a| = 100004 |Heart disease|", INFARCTION, CARDIOPULMONARY);
        assertEcl(graph, "< 100003 : [2..2] 116680003 = *", CARDIOPULMONARY);
    }

    @Test
    void refinementOfASingleConceptTestsThatConcept() {
        assertEcl(graph, "100005 : 100052 = 100031", INFARCTION);
        assertEcl(graph, "100005 : 100052 = 100032");
    }

    @Test
    void refinementCanBeBracketedAndCombined() {
        assertEcl(graph, "(< 100003 : 100052 = 100032) OR 100008", CARDIOPULMONARY, LUNG_DISEASE, FEVER);
        assertEcl(graph, "(< 100003 : 100052 = *) MINUS (* : 100052 = 100031)", LUNG_DISEASE);
    }

    @Test
    void numericConcreteValuesCompareByValue() {
        assertEcl(graph, "< 100040 : 100053 |Strength| = #500", TABLET_500);
        assertEcl(graph, "< 100040 : 100053 = #500.00", TABLET_500);
        assertEcl(graph, "< 100040 : 100053 != #500", CAPSULE_12_5);
        assertEcl(graph, "< 100040 : 100053 < #100", CAPSULE_12_5);
        assertEcl(graph, "< 100040 : 100053 <= #12.5", CAPSULE_12_5);
        assertEcl(graph, "< 100040 : 100053 > #12.5", TABLET_500);
        assertEcl(graph, "< 100040 : 100053 >= #12.5", TABLET_500, CAPSULE_12_5);
        assertEcl(graph, "< 100040 : 100053 > #-1", TABLET_500, CAPSULE_12_5);
    }

    @Test
    void stringConcreteValuesCompareExactly() {
        assertEcl(graph, "< 100040 : 100054 |Dose form| = \"tablet\"", TABLET_500);
        assertEcl(graph, "< 100040 : 100054 != \"tablet\"", CAPSULE_12_5);
        assertEcl(graph, "< 100040 : 100054 = \"Tablet\"");
    }

    @Test
    void booleanConcreteValuesCompare() {
        assertEcl(graph, "< 100040 : 100056 |Scored| = true", TABLET_500);
        assertEcl(graph, "< 100040 : 100056 = false");
    }

    @Test
    void numberNeverEqualsAString() {
        assertEcl(graph, "< 100040 : 100054 = #500");
        assertEcl(graph, "< 100040 : 100053 = \"500\"");
    }

    @Test
    void concreteValuesInAGroupMustBeInTheSameGroup() {
        assertEcl(graph, "< 100040 : { 100053 > #100, 100054 = \"tablet\" }", TABLET_500);
        assertEcl(graph, "< 100040 : { 100053 > #100, 100054 = \"capsule\" }");
        assertEcl(graph, "< 100040 : [0..0] 100053 > #100", CAPSULE_12_5);
    }

    @Test
    void wildcardValueMatchesConcreteValuesToo() {
        assertEcl(graph, "< 100040 : 100053 = *", TABLET_500, CAPSULE_12_5);
        assertEcl(graph, "< 100040 : 100056 = *", TABLET_500);
        assertEcl(graph, "< 100040 : { 100053 = *, 100054 = * }", TABLET_500, CAPSULE_12_5);
        assertEcl(graph, "< 100040 : { 100053 = *, 100056 = * }");
    }

    @Test
    void wildcardAttributeNameMatchesConcreteValuesToo() {
        assertEcl(graph, "* : * >= #500", TABLET_500);
    }
}
